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

  /// How many bytes of text the file probably holds, for sizing buffers: a plain file's
  /// size, or the length a gzip file's last trailer records (ISIZE, exact for the usual
  /// one-member file under 4 GiB); nil when unknown or implausible.
  static func expectedTextBytes(path: String) -> Int? {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    let size = Int(info.st_size)
    var head: (UInt8, UInt8) = (0, 0)
    guard size >= 18, pread(fd, &head, 2, 0) == 2 else { return size }
    guard head == (0x1F, 0x8B) else { return size }
    var trailer: UInt32 = 0
    guard pread(fd, &trailer, 4, off_t(size - 4)) == 4 else { return nil }
    let inflated = Int(UInt32(littleEndian: trailer))
    // A multi-member file records only its last member, a damaged one anything: text
    // shorter than its compressed size, or over deflate's ~1030:1 limit, is no estimate.
    return inflated >= size && inflated / 1031 <= size ? inflated : nil
  }

  static func error(_ path: String, _ code: Int32, missing: Bool) -> PolkuError {
    let text = String(cString: strerror(code))
    return PolkuError(missing ? .noInput : .io, "cannot read \(path): \(text)")
  }
}
