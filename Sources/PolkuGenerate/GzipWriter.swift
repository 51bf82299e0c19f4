import CZlib
import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes one gzip member, streaming, to a file descriptor or into memory.
///
/// Call ``write(_:)-(UnsafeRawBufferPointer)`` any number of times, then ``finish()``
/// once. Members written one after another to the same descriptor form a valid
/// multi-member gzip file, as `cat a.gz b.gz` does. The descriptor is not closed.
///
/// ```swift
/// let gzip = try GzipWriter()
/// try gzip.write("a\nb\n")
/// try gzip.finish()
/// let member = gzip.bytes
/// ```
public final class GzipWriter {
  private let stream: UnsafeMutablePointer<z_stream>
  private let buffer: UnsafeMutableBufferPointer<UInt8>
  private let descriptor: Int32?
  private var finished = false
  /// The compressed bytes, when writing into memory; empty when writing to a descriptor.
  public private(set) var bytes: [UInt8] = []

  /// Writes into ``bytes``. `level` is zlib's 0 (store) … 9 (smallest), 6 by default.
  public convenience init(level: Int = 6) throws {
    try self.init(descriptor: nil, level: level)
  }

  /// Writes to `fileDescriptor`, which must be open for writing.
  public convenience init(fileDescriptor: Int32, level: Int = 6) throws {
    try self.init(descriptor: fileDescriptor, level: level)
  }

  private init(descriptor: Int32?, level: Int) throws {
    self.descriptor = descriptor
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    buffer = .allocate(capacity: 64 << 10)
    // 15 + 16: a 32 KiB window with a gzip header and trailer; memLevel 8 as gzip(1).
    let status = polku_deflateInit2(
      stream, Int32(min(max(level, 0), 9)), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
    guard status == Z_OK else {
      stream.deallocate()
      buffer.deallocate()
      throw PolkuError(.io, "cannot start gzip encoder: zlib error \(status)")
    }
  }

  deinit {
    deflateEnd(stream)
    stream.deallocate()
    buffer.deallocate()
  }

  /// Compresses `data` into one gzip member in memory.
  public static func compress(_ data: [UInt8], level: Int = 6) throws -> [UInt8] {
    let gzip = try GzipWriter(level: level)
    try gzip.write(data)
    try gzip.finish()
    return gzip.bytes
  }

  /// Adds `data` to the member.
  public func write(_ data: UnsafeRawBufferPointer) throws {
    guard !finished else { throw PolkuError(.io, "gzip member already finished") }
    guard let base = data.baseAddress, !data.isEmpty else { return }
    var offset = 0
    while offset < data.count {
      // avail_in is 32-bit: feed at most 1 GiB per call.
      let count = min(data.count - offset, 1 << 30)
      stream.pointee.next_in = UnsafeMutablePointer(
        mutating: (base + offset).assumingMemoryBound(to: UInt8.self))
      stream.pointee.avail_in = UInt32(count)
      try pump(Z_NO_FLUSH)
      offset += count
    }
  }

  /// Adds `data` to the member.
  public func write(_ data: [UInt8]) throws {
    try data.withUnsafeBytes { try write($0) }
  }

  /// Adds the UTF-8 of `text` to the member.
  public func write(_ text: String) throws {
    var copy = text
    try copy.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
  }

  /// Writes the gzip trailer (CRC-32 and length). Calling it again does nothing.
  public func finish() throws {
    guard !finished else { return }
    stream.pointee.next_in = nil
    stream.pointee.avail_in = 0
    try pump(Z_FINISH)
    finished = true
  }

  /// Runs deflate until it has taken all input (or, with Z_FINISH, ended the member).
  private func pump(_ flush: Int32) throws {
    while true {
      stream.pointee.next_out = buffer.baseAddress
      stream.pointee.avail_out = UInt32(buffer.count)
      let status = deflate(stream, flush)
      guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
        throw PolkuError(.io, "gzip encoder failed: zlib error \(status)")
      }
      let produced = buffer.count - Int(stream.pointee.avail_out)
      try emit(UnsafeBufferPointer(rebasing: buffer[0..<produced]))
      if status == Z_STREAM_END { return }
      if flush != Z_FINISH && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 {
        return
      }
    }
  }

  private func emit(_ chunk: UnsafeBufferPointer<UInt8>) throws {
    guard let descriptor else {
      bytes.append(contentsOf: chunk)
      return
    }
    guard var cursor = chunk.baseAddress else { return }
    var left = chunk.count
    while left > 0 {
      let written = systemWrite(descriptor, cursor, left)
      if written < 0 {
        if errno == EINTR { continue }
        throw PolkuError(.io, "cannot write gzip data: \(String(cString: strerror(errno)))")
      }
      cursor += written
      left -= written
    }
  }
}

/// write(2), named apart from ``GzipWriter/write(_:)-(UnsafeRawBufferPointer)``.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
  #else
    Darwin.write(descriptor, bytes, count)
  #endif
}
