/// Appends JSON text to byte buffers: strings with escapes, and small literals.
///
/// Invalid UTF-8 in a string becomes U+FFFD, so a bad row with broken bytes still gives
/// a valid JSON line.
public enum JSONText {
  /// `text` as a JSON string literal, quotes included.
  public static func quoted(_ text: String) -> String {
    var out: [UInt8] = []
    appendString(text, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// `bytes` as a JSON string literal, quotes included.
  ///
  /// Runs of bytes that need no escape are copied whole: this writes every quarantined
  /// line, so a file with many bad lines must not cost much more to read than a clean one.
  static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    guard UTF8Check.isValid(bytes) else {
      // Rare: the standard library's repair (each maximal invalid sequence → U+FFFD).
      var repaired = String(decoding: bytes, as: UTF8.self)
      repaired.withUTF8 { appendValid($0, to: &out) }
      return
    }
    appendValid(bytes, to: &out)
  }

  private static func appendValid(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var run = 0
    for index in 0..<bytes.count {
      let unit = bytes[index]
      guard unit < 32 || unit == UInt8(ascii: "\"") || unit == UInt8(ascii: "\\") else {
        continue
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
      run = index + 1
      out.append(UInt8(ascii: "\\"))
      switch unit {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(unit)
      case 10: out.append(UInt8(ascii: "n"))
      case 13: out.append(UInt8(ascii: "r"))
      case 9: out.append(UInt8(ascii: "t"))
      default:
        let hex: StaticString = "0123456789abcdef"
        out.append(UInt8(ascii: "u"))
        out.append(UInt8(ascii: "0"))
        out.append(UInt8(ascii: "0"))
        out.append(hex.utf8Start[Int(unit >> 4)])
        out.append(hex.utf8Start[Int(unit & 15)])
      }
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count]))
    out.append(UInt8(ascii: "\""))
  }

  static func appendString(_ text: String, to out: inout [UInt8]) {
    var copy = text
    copy.withUTF8 { appendString($0, to: &out) }
  }
}
