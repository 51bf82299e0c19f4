#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The shared real public data (`../shared/realdata` beside the package root).
///
/// CI clones the package with `shared/` beside it; a developer's git worktree
/// (`/work/wt/<name>`) sits one level deeper, so `../../shared` is tried too. Tests that
/// need a file use `.enabled(if: RealData.path(…) != nil)`, so they are reported as
/// disabled — never passed — where the data is absent.
enum RealData {
  static let root: String? = {
    let packageRoot = URLPath.packageRoot
    return [packageRoot + "/../shared/realdata", packageRoot + "/../../shared/realdata"].first {
      access($0 + "/README.md", R_OK) == 0
    }
  }()

  /// The path of `relative` under the real-data folder, when it is readable.
  static func path(_ relative: String) -> String? {
    guard let root, access(root + "/" + relative, R_OK) == 0 else { return nil }
    return root + "/" + relative
  }

  static let nasaLog = path("weblogs/nasa_kennedy_jul95_first267838.log.gz")
}
