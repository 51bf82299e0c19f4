import CZlib

/// A zlib inflate stream for gzip members, at a fixed address as zlib requires.
struct GzipInflater: ~Copyable {
  /// What one call to ``inflate(input:output:)`` found.
  enum Step {
    /// More input or output room is needed.
    case progress
    /// The member ended (its CRC-32 and length were checked).
    case memberEnd
    /// The data is invalid: zlib's message.
    case invalid(String)
  }

  private let stream: UnsafeMutablePointer<z_stream>

  init() throws(PolkuError) {
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // 15 + 16: a 32 KiB window, gzip wrapper only (no zlib or raw deflate streams).
    let status = polku_inflateInit2(stream, 15 + 16)
    guard status == Z_OK else {
      stream.deallocate()
      throw PolkuError(.io, "cannot start gzip decoder: zlib error \(status)")
    }
  }

  deinit {
    inflateEnd(stream)
    stream.deallocate()
  }

  /// Unconsumed input bytes of the last call.
  var availableInput: Int { Int(stream.pointee.avail_in) }

  /// Where the unconsumed input starts.
  var nextInput: UnsafeMutablePointer<UInt8>? { stream.pointee.next_in }

  /// Sets the input to inflate from.
  func setInput(_ start: UnsafeMutablePointer<UInt8>, count: Int) {
    stream.pointee.next_in = start
    stream.pointee.avail_in = UInt32(count)
  }

  /// Inflates into `output`; returns the step and the number of bytes written.
  func inflate(output: UnsafeMutableBufferPointer<UInt8>) throws(PolkuError) -> (Step, Int) {
    stream.pointee.next_out = output.baseAddress
    stream.pointee.avail_out = UInt32(output.count)
    let status = CZlib.inflate(stream, Z_NO_FLUSH)
    let produced = output.count - Int(stream.pointee.avail_out)
    switch status {
    case Z_OK, Z_BUF_ERROR:
      return (.progress, produced)
    case Z_STREAM_END:
      return (.memberEnd, produced)
    case Z_DATA_ERROR, Z_NEED_DICT:
      var message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
      if message == "incorrect data check" { message += " (CRC-32 mismatch)" }
      if message == "incorrect length check" { message += " (ISIZE mismatch)" }
      return (.invalid(message), produced)
    default:
      throw PolkuError(.io, "gzip decoder failed: zlib error \(status)")
    }
  }

  /// Prepares for the next member of a multi-member file.
  func reset() {
    inflateReset(stream)
  }
}
