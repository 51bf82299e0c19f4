#if canImport(Glibc)
  import Glibc
#endif

/// Asks glibc's `malloc` to back large allocations with transparent huge pages.
///
/// polku's tables (events, id tables, sessions) are hundreds of megabytes read in random
/// order, so with 4 KiB pages most of their cache misses are TLB misses too, and every
/// page costs a fault. Many Linux systems (Debian's and Ubuntu's kernels among them) run
/// transparent huge pages in `madvise` mode: only memory a program marks gets 2 MiB pages.
/// glibc marks its heaps and large blocks when the `glibc.malloc.hugetlb=1` tunable is set,
/// but it reads tunables once, at start up, from `GLIBC_TUNABLES`. So the CLI calls
/// ``reexecIfUseful(arguments:)`` first: it sets the tunable and runs the same binary again,
/// once, by its own path (so `ps` and `pgrep` still show `polku`).
///
/// Measured (20 M events, 2 threads): wall −4 to −8 %, sessionise −17 to −25 %, kernel
/// time −12 to −18 %, peak memory within ±2 %. `POLKU_HUGE_PAGES=0` turns it off, `1` sets
/// the tunable whatever the kernel mode.
public enum HugePages {
  /// The tunable that makes glibc (2.35 and later) `madvise` its memory for huge pages.
  static let tunable = "glibc.malloc.hugetlb=1"

  /// The `GLIBC_TUNABLES` value to run again with, or nil to carry on as is.
  ///
  /// `setting` is `POLKU_HUGE_PAGES`: "0" turns huge pages off, "1" asks for them whatever
  /// `kernelMode` (the text of `/sys/kernel/mm/transparent_hugepage/enabled`) says;
  /// otherwise only `[madvise]` mode is worth a re-exec (`always` needs none, `never`
  /// ignores it). Nil too when `current` (today's `GLIBC_TUNABLES`) already says how glibc
  /// should use huge pages, which is also what stops a second re-exec, and under valgrind
  /// (`preload`, the `LD_PRELOAD`, names its `vgpreload` library): there `/proc/self/exe`
  /// is the tool, and an exec would leave it.
  static func tunables(
    current: String?, setting: String?, kernelMode: String?, preload: String? = nil
  ) -> String? {
    if setting == "0" { return nil }
    if preload?.contains("vgpreload") == true { return nil }
    if setting != "1" {
      guard let kernelMode, kernelMode.contains("[madvise]") else { return nil }
    }
    let current = current ?? ""
    if current.contains("glibc.malloc.hugetlb") { return nil }
    return current.isEmpty ? tunable : current + ":" + tunable
  }

  /// The path to run again, from `link` (what `/proc/self/exe` links to): the binary
  /// itself, so the new image keeps its name (an exec of `/proc/self/exe` names the process
  /// `exe` in `ps`, `top` and `pgrep`). Nil when the link could not be read, or when the
  /// binary was removed or replaced since it started (the link then ends in ` (deleted)`):
  /// no re-exec then.
  static func executable(link: String?) -> String? {
    guard let link, link.hasPrefix("/"), !link.hasSuffix(" (deleted)") else { return nil }
    return link
  }

  /// Runs this binary again with huge pages enabled when
  /// ``tunables(current:setting:kernelMode:preload:)``
  /// says it helps; returns only when it does not, or when the re-exec failed (then the
  /// run goes on with normal pages). Call before any thread starts.
  public static func reexecIfUseful(arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) {
    #if os(Linux)
      let mode = (try? FileBytes.read("/sys/kernel/mm/transparent_hugepage/enabled")).map {
        String(decoding: $0, as: UTF8.self)
      }
      let current = getenv("GLIBC_TUNABLES").map { String(cString: $0) }
      guard
        let value = tunables(
          current: current, setting: getenv("POLKU_HUGE_PAGES").map { String(cString: $0) },
          kernelMode: mode, preload: getenv("LD_PRELOAD").map { String(cString: $0) }),
        let path = executable(link: selfLink())
      else { return }
      setenv("GLIBC_TUNABLES", value, 1)
      execv(path, arguments)
      // Only reached when exec failed (no /proc, say): carry on with normal pages and the
      // environment as it was.
      if let current { setenv("GLIBC_TUNABLES", current, 1) } else { unsetenv("GLIBC_TUNABLES") }
    #endif
  }

  #if os(Linux)
    /// Where `/proc/self/exe` points, or nil.
    static func selfLink() -> String? {
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
      guard count > 0 && count < buffer.count - 1 else { return nil }
      return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
  #endif
}
