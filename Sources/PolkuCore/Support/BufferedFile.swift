#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An append-only file with a 1 MiB buffer, for streams too large to hold (bad rows).
final class BufferedFile {
  let path: String
  private var fd: Int32
  private var buffer: [UInt8] = []
  /// False for a descriptor handed in (standard output): never closed here.
  private let ownsDescriptor: Bool

  /// Writes to an open descriptor it does not own (standard output): call ``flush()`` at
  /// the end, not ``close()``.
  init(descriptor: Int32, name: String) {
    path = name
    fd = descriptor
    ownsDescriptor = false
    buffer.reserveCapacity(1 << 20)
  }

  init(creating path: String) throws {
    ownsDescriptor = true
    self.path = path
    // A symbolic link at `path` is not followed: the write fails.
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
    guard fd >= 0 else { throw FileBytes.createFailure(path) }
    buffer.reserveCapacity(1 << 20)
  }

  func append(_ bytes: [UInt8]) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= 1 << 20 { try flush() }
  }

  func flush() throws {
    try buffer.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }
      var offset = 0
      while offset < raw.count {
        let written = write(fd, base + offset, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw PolkuError(.io, "cannot write \(path): \(FileBytes.errorText(errno))")
        }
        offset += written
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes, fsyncs and closes the file.
  func close() throws {
    try flush()
    if fsync(fd) != 0 {
      throw PolkuError(.io, "cannot sync \(path): \(FileBytes.errorText(errno))")
    }
    Glibc.close(fd)
    fd = -1
  }

  deinit {
    // close() normally ran and set fd to -1; this only keeps an error path from leaking
    // the descriptor. Never close a number twice: another thread may own it by now.
    if fd >= 0 && ownsDescriptor { Glibc.close(fd) }
  }
}
