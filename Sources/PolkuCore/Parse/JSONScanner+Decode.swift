/// A destination for decoded string bytes.
protocol DecodedByteSink {
  mutating func append(_ byte: UInt8)
  mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension RecordFields: DecodedByteSink {}

/// A growable byte buffer (for keys with escapes).
struct DecodedBytes: DecodedByteSink {
  var bytes: [UInt8] = []

  mutating func append(_ byte: UInt8) { bytes.append(byte) }
  mutating func append(contentsOf other: UnsafeBufferPointer<UInt8>) {
    bytes.append(contentsOf: other)
  }
}

extension JSONScanner {
  /// Unescapes the string body `start..<close` (already validated by
  /// ``skipStringBody()``) into `sink`.
  ///
  /// `\uXXXX` becomes UTF-8; a surrogate pair becomes one 4-byte scalar; a lone surrogate
  /// becomes U+FFFD. `\u0000` becomes a NUL byte (it is valid JSON).
  func decodeString<Sink: DecodedByteSink>(from start: Int, to close: Int, into sink: inout Sink) {
    var index = start
    var runStart = start
    while index < close {
      guard base[index] == UInt8(ascii: "\\") else {
        index += 1
        continue
      }
      if index > runStart {
        sink.append(
          contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart))
      }
      let kind = base[index + 1]
      index += 2
      switch kind {
      case UInt8(ascii: "b"): sink.append(0x08)
      case UInt8(ascii: "f"): sink.append(0x0C)
      case UInt8(ascii: "n"): sink.append(0x0A)
      case UInt8(ascii: "r"): sink.append(0x0D)
      case UInt8(ascii: "t"): sink.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = JSONScanner.hex4(base + index) ?? 0xFFFD
        index += 4
        if (0xD800...0xDBFF).contains(scalar) {
          if index + 6 <= close && base[index] == UInt8(ascii: "\\")
            && base[index + 1] == UInt8(ascii: "u"),
            let low = JSONScanner.hex4(base + index + 2), (0xDC00...0xDFFF).contains(low)
          {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            index += 6
          } else {
            scalar = 0xFFFD
          }
        } else if (0xDC00...0xDFFF).contains(scalar) {
          scalar = 0xFFFD
        }
        JSONScanner.appendUTF8(scalar, to: &sink)
      default: sink.append(kind)  // \" \\ \/
      }
      runStart = index
    }
    if close > runStart {
      sink.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: close - runStart))
    }
  }

  /// Appends the UTF-8 encoding of a Unicode scalar value (not a surrogate).
  static func appendUTF8<Sink: DecodedByteSink>(_ scalar: UInt32, to sink: inout Sink) {
    switch scalar {
    case 0..<0x80:
      sink.append(UInt8(scalar))
    case 0x80..<0x800:
      sink.append(UInt8(0xC0 | scalar >> 6))
      sink.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
      sink.append(UInt8(0xE0 | scalar >> 12))
      sink.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      sink.append(UInt8(0x80 | scalar & 0x3F))
    default:
      sink.append(UInt8(0xF0 | scalar >> 18))
      sink.append(UInt8(0x80 | scalar >> 12 & 0x3F))
      sink.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      sink.append(UInt8(0x80 | scalar & 0x3F))
    }
  }
}
