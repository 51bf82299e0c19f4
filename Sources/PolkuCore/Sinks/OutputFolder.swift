import CPolkuSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A staging folder beside the target that is swapped into place in one step.
///
/// Files are written into `<parent>/.<name>.polku-tmp-<pid>` and fsynced; `publish()`
/// then exchanges the staging folder with the target (renameat2 RENAME_EXCHANGE, or a
/// plain rename when the target does not exist yet) and removes the old outputs. A reader
/// sees either the whole previous output or the whole new one, never half a file, and a
/// run that fails or is killed leaves the previous output as it was.
public final class OutputFolder: @unchecked Sendable {
  public let target: String
  public let staging: String
  private let parent: String
  private let name: String
  private var published = false

  public init(target: String) throws {
    var trimmed = target
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    self.target = trimmed
    let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
    let name = String(parts.last ?? "out")
    let above = parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
    let parentPath = above.isEmpty ? "/" : above
    parent = parentPath
    self.name = name
    try OutputFolder.makeDirectories(parentPath)
    staging = "\(parentPath)/.\(name).polku-tmp-\(getpid())"
    // The caller holds the folder's RunLock, so any other staging folder is left over
    // from a run that was killed: remove them all.
    for entry in OutputFolder.entries(parentPath) where entry.hasPrefix(".\(name).polku-tmp-") {
      OutputFolder.removeTree("\(parentPath)/\(entry)")
    }
    guard mkdir(staging, 0o755) == 0 else {
      throw PolkuError(.io, "cannot create \(staging): \(FileBytes.errorText(errno))")
    }
  }

  /// A path beside the target for leftovers of a failed run (`_<name>.<suffix>`; the
  /// leading underscore keeps Spark, Hive and DuckDB's hive reader from reading it).
  public func siblingPath(_ suffix: String) -> String { "\(parent)/_\(name).\(suffix)" }

  /// The path of `file` inside the staging folder.
  public func path(_ file: String) -> String { "\(staging)/\(file)" }

  /// Swaps the staging folder into place and removes the previous output.
  public func publish() throws {
    syncDirectory(staging)
    var info = stat()
    if stat(target, &info) == 0 {
      guard (info.st_mode & S_IFMT) == S_IFDIR else {
        throw PolkuError(.io, "\(target) exists and is not a folder")
      }
      guard polku_rename_exchange(staging, target) == 0 else {
        throw PolkuError(
          .io, "cannot replace \(target): \(FileBytes.errorText(errno))")
      }
    } else {
      guard rename(staging, target) == 0 else {
        throw PolkuError(.io, "cannot create \(target): \(FileBytes.errorText(errno))")
      }
    }
    published = true
    syncDirectory(parent)
    OutputFolder.removeTree(staging)  // now holds the previous output
  }

  /// Removes the staging folder (a run that failed leaves the target untouched).
  public func discard() {
    if !published { OutputFolder.removeTree(staging) }
  }

  private func syncDirectory(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }

  /// `mkdir -p`.
  public static func makeDirectories(_ path: String) throws {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
      current += "/\(part)"
      if mkdir(current, 0o755) != 0 && errno != EEXIST {
        throw PolkuError(.io, "cannot create folder \(current): \(FileBytes.errorText(errno))")
      }
    }
  }

  /// The names in a folder (without `.` and `..`); empty when it cannot be read.
  public static func entries(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// `rm -rf` without following symbolic links.
  public static func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      for name in entries(path) { removeTree("\(path)/\(name)") }
      rmdir(path)
    } else {
      unlink(path)
    }
  }
}

extension OutputFolder {
  /// Writes `file` into the staging folder and returns its manifest entry.
  public func write(_ file: OutputFile) throws -> Manifest.Output {
    try FileBytes.write(file.bytes, to: path(file.name))
    return Manifest.Output(
      file: file.name, rows: file.rows, bytes: file.bytes.count, sha256: SHA256.hex(file.bytes))
  }
}
