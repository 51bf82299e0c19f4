#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Small whole-file reads and writes over POSIX calls (pipeline files, state, outputs).
public enum FileBytes {
  /// Reads a whole file. Throws `.noInput` when it does not exist, `.io` otherwise.
  public static func read(_ path: String) throws -> [UInt8] {
    let fd = try openForReading(path)
    defer { close(fd) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw PolkuError(.io, "cannot read \(path): \(errorText(errno))")
      }
      if count == 0 { break }
      result.append(contentsOf: chunk[0..<count])
    }
    return result
  }

  /// A descriptor of `path` opened for reading. Throws `.noInput` when it does not exist,
  /// `.io` otherwise.
  private static func openForReading(_ path: String) throws -> Int32 {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      throw PolkuError(
        code == ENOENT ? .noInput : .io, "cannot read \(path): \(errorText(code))")
    }
    return fd
  }

  /// Whether something exists at `path` (links not followed).
  public static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// The first `maxBytes` bytes of a file, cut after the last line break when the file is
  /// longer (whole lines only).
  public static func readPrefix(_ path: String, maxBytes: Int) throws -> [UInt8] {
    let fd = try openForReading(path)
    defer { close(fd) }
    var info = stat()
    let size = fstat(fd, &info) == 0 ? Int(info.st_size) : 1 << 26
    var result = [UInt8](repeating: 0, count: max(0, min(maxBytes, size)))
    var filled = 0
    while filled < result.count {
      let count = result.withUnsafeMutableBytes { buffer in
        guard let base = buffer.baseAddress else { return 0 }
        return Glibc.read(fd, base + filled, buffer.count - filled)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw PolkuError(.io, "cannot read \(path): \(errorText(errno))")
      }
      if count == 0 { break }
      filled += count
    }
    result.removeSubrange(filled...)
    if filled == maxBytes, size > maxBytes, let last = result.lastIndex(of: 10) {
      result.removeSubrange((last + 1)...)
    }
    return result
  }

  /// Writes `bytes` to a new file at `path` (mode 0644) and fsyncs it. A symbolic link at
  /// `path` is not followed: the write fails (``createFailure(_:)``).
  public static func write(_ bytes: [UInt8], to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
    guard fd >= 0 else { throw createFailure(path) }
    defer { close(fd) }
    try bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = Glibc.write(fd, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw PolkuError(.io, "cannot write \(path): \(errorText(errno))")
        }
        offset += written
      }
    }
    if fsync(fd) != 0 { throw PolkuError(.io, "cannot sync \(path): \(errorText(errno))") }
  }

  /// Renames `from` to `to`, replacing `to` atomically.
  public static func rename(_ from: String, to: String) throws {
    guard Glibc.rename(from, to) == 0 else {
      throw PolkuError(.io, "cannot rename \(from) to \(to): \(errorText(errno))")
    }
  }

  /// The error for a file `path` that could not be created or opened for writing (errno
  /// set): one that names a symbolic link, which polku never writes through.
  public static func createFailure(_ path: String) -> PolkuError {
    let code = errno
    guard code != ELOOP else {
      return PolkuError(
        .io, "cannot write \(path): it is a symbolic link, and polku does not write through links")
    }
    return PolkuError(.io, "cannot create \(path): \(errorText(code))")
  }

  /// Removes `path` when it is a file or a symbolic link (never a folder), so a file made
  /// next is new; missing is fine.
  public static func removeFile(_ path: String) throws {
    guard unlink(path) == 0 || errno == ENOENT else {
      throw PolkuError(.io, "cannot remove \(path): \(errorText(errno))")
    }
  }

  /// The text of an errno value.
  public static func errorText(_ code: Int32) -> String {
    String(cString: strerror(code))
  }
}
