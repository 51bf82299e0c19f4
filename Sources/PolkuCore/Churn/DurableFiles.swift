#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few POSIX file operations the state store needs, with `fsync` where durability
/// matters. Every failure becomes a ``PolkuError`` with code `.io`.
enum DurableFiles {
  static func failure(_ what: String, _ path: String) -> PolkuError {
    PolkuError(.io, "\(what) \(path): \(String(cString: strerror(errno)))")
  }

  /// Writes `bytes` to a new file at `path` and fsyncs it. With `limit`, stops after that
  /// many bytes without fsync (tests simulating a crash mid-write). Whatever was at `path`
  /// is removed first, so a symbolic link there is replaced, never written through.
  static func writeFile(_ bytes: [UInt8], to path: String, limit: Int? = nil) throws {
    if unlink(path) != 0 && errno != ENOENT { throw failure("cannot remove", path) }
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw failure("cannot create", path) }
    defer { close(fd) }
    let total = min(limit ?? bytes.count, bytes.count)
    var done = 0
    try bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }
      while done < total {
        let n = write(fd, base + done, total - done)
        if n < 0 {
          if errno == EINTR { continue }
          throw failure("cannot write", path)
        }
        done += n
      }
    }
    if limit == nil && fsync(fd) != 0 { throw failure("cannot fsync", path) }
  }

  /// The whole file, or nil when it does not exist.
  static func readFile(_ path: String) throws -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw failure("cannot open", path)
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw failure("cannot read", path)
      }
      if n == 0 { break }
      bytes.append(contentsOf: buffer[0..<n])
    }
    return bytes
  }

  /// Flushes a directory's entries (created, renamed and removed names) to disk.
  static func syncDirectory(_ path: String) throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY)
    guard fd >= 0 else { throw failure("cannot open directory", path) }
    defer { close(fd) }
    if fsync(fd) != 0 { throw failure("cannot fsync directory", path) }
  }

  /// Creates the folder `path`, which must not exist yet (a link planted there fails it).
  static func makeNewDirectory(_ path: String) throws {
    if mkdir(path, 0o755) != 0 { throw failure("cannot create directory", path) }
  }

  /// Creates `path` and missing parents.
  static func makeDirectories(_ path: String) throws {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
      prefix += part
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
        throw failure("cannot create directory", prefix)
      }
      prefix += "/"
    }
  }

  /// The names in a directory (without `.` and `..`); empty when it does not exist.
  static func list(_ path: String) throws -> [String] {
    guard let dir = opendir(path) else {
      if errno == ENOENT { return [] }
      throw failure("cannot list", path)
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: &entry.pointee.d_name) {
        String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// Removes a flat directory (its files, then itself); missing is fine. A symbolic link
  /// (or a file) at `path` is removed itself: what it points to is left alone.
  static func removeFlatDirectory(_ path: String) throws {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { return }
      throw failure("cannot inspect", path)
    }
    guard (info.st_mode & S_IFMT) == S_IFDIR else {
      if unlink(path) != 0 && errno != ENOENT { throw failure("cannot remove", path) }
      return
    }
    for name in try list(path) where unlink(path + "/" + name) != 0 && errno != ENOENT {
      throw failure("cannot remove", path + "/" + name)
    }
    if rmdir(path) != 0 && errno != ENOENT { throw failure("cannot remove", path) }
  }

  static func renameItem(_ from: String, _ to: String) throws {
    if rename(from, to) != 0 { throw failure("cannot rename \(from) to", to) }
  }
}
