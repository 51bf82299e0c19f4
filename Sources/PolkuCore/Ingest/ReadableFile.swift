#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open file descriptor read with read(2), closed when the value goes away.
struct ReadableFile: ~Copyable {
  let path: String
  private let descriptor: Int32

  /// Opens `path` for reading; throws ``PolkuError`` naming the file when it cannot.
  init(path: String) throws(PolkuError) {
    self.path = path
    // O_NONBLOCK: opening a FIFO with no writer must not hang a nightly run; anything
    // but a regular file is refused below.
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else {
      let code = errno
      throw ReadableFile.error(path, code, missing: code == ENOENT || code == ENOTDIR)
    }
    var info = stat()
    if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
      close(fd)
      let kind = (info.st_mode & S_IFMT) == S_IFDIR ? "is a folder" : "is not a regular file"
      throw PolkuError(.io, "cannot read \(path): \(kind)")
    }
    _ = fcntl(fd, F_SETFL, 0)
    descriptor = fd
  }

  deinit { close(descriptor) }

  /// Fills `buffer` from the file, stopping early only at end of file; returns the count.
  func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(PolkuError) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    var filled = 0
    while filled < buffer.count {
      let count = read(descriptor, base + filled, buffer.count - filled)
      if count > 0 {
        filled += count
      } else if count == 0 {
        break
      } else if errno != EINTR {
        throw ReadableFile.error(path, errno, missing: false)
      }
    }
    return filled
  }

  static func error(_ path: String, _ code: Int32, missing: Bool) -> PolkuError {
    let text = String(cString: strerror(code))
    return PolkuError(missing ? .noInput : .io, "cannot read \(path): \(text)")
  }
}
