import CZlib

/// A zlib inflate stream for gzip members, at a fixed address as zlib requires.
///
/// zlib parses the gzip header and inflates; the member's CRC-32 and length (ISIZE) are
/// checked here instead of by zlib (`inflateValidate(0)`), because ``CRC32`` is several
/// times faster than zlib's own CRC and that CRC was 4 % of a whole run. The trailer is
/// the last 8 input bytes zlib consumed when it reports the member's end.
struct GzipInflater: ~Copyable {
  /// What one call to ``inflate(output:)`` found.
  enum Step {
    /// More input or output room is needed.
    case progress
    /// The member ended; its CRC-32 and length matched its trailer.
    case memberEnd
    /// The data is invalid: zlib's message.
    case invalid(String)
    /// The member's output does not match its trailer (the last 8 bytes consumed).
    case checkFailed(String)
  }

  private let stream: UnsafeMutablePointer<z_stream>
  /// CRC-32 and length (mod 2^32) of the member's output so far.
  private var crc: UInt32 = 0
  private var size: UInt32 = 0
  /// The last 8 input bytes consumed, oldest in the low byte.
  private var tail: UInt64 = 0

  init() throws(PolkuError) {
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // 15 + 16: a 32 KiB window, gzip wrapper only (no zlib or raw deflate streams).
    let status = polku_inflateInit2(stream, 15 + 16)
    guard status == Z_OK else {
      stream.deallocate()
      throw PolkuError(.io, "cannot start gzip decoder: zlib error \(status)")
    }
    inflateValidate(stream, 0)
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
  mutating func inflate(output: UnsafeMutableBufferPointer<UInt8>) throws(PolkuError) -> (
    Step, Int
  ) {
    let input = stream.pointee.next_in
    stream.pointee.next_out = output.baseAddress
    stream.pointee.avail_out = UInt32(output.count)
    let status = CZlib.inflate(stream, Z_NO_FLUSH)
    let produced = output.count - Int(stream.pointee.avail_out)
    if produced > 0 {
      crc = CRC32.update(crc, UnsafeBufferPointer(rebasing: output[0..<produced]))
      size &+= UInt32(truncatingIfNeeded: produced)
    }
    if let input, let next = stream.pointee.next_in { remember(from: input, to: next) }
    switch status {
    case Z_OK, Z_BUF_ERROR:
      return (.progress, produced)
    case Z_STREAM_END:
      if UInt32(truncatingIfNeeded: tail) != crc {
        return (.checkFailed("incorrect data check (CRC-32 mismatch)"), produced)
      }
      if UInt32(truncatingIfNeeded: tail >> 32) != size {
        return (.checkFailed("incorrect length check (ISIZE mismatch)"), produced)
      }
      return (.memberEnd, produced)
    case Z_DATA_ERROR, Z_NEED_DICT:
      let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
      return (.invalid(message), produced)
    default:
      throw PolkuError(.io, "gzip decoder failed: zlib error \(status)")
    }
  }

  /// Keeps the last 8 bytes of the input consumed between `start` and `end`.
  private mutating func remember(
    from start: UnsafeMutablePointer<UInt8>, to end: UnsafeMutablePointer<UInt8>
  ) {
    let count = end - start
    if count >= 8 {
      tail = UInt64(littleEndian: UnsafeRawPointer(end - 8).loadUnaligned(as: UInt64.self))
    } else {
      for offset in 0..<count { tail = tail >> 8 | UInt64(start[offset]) << 56 }
    }
  }

  /// Prepares for the next member of a multi-member file.
  mutating func reset() {
    inflateReset(stream)
    crc = 0
    size = 0
  }
}
