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

  static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    let text = String(decoding: bytes, as: UTF8.self)
    for unit in text.utf8 {
      switch unit {
      case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
      case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
      case 10: out.append(contentsOf: [92, 110])
      case 13: out.append(contentsOf: [92, 114])
      case 9: out.append(contentsOf: [92, 116])
      case 0..<32:
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [92, 117, 48, 48, hex[Int(unit >> 4)], hex[Int(unit & 15)]])
      default: out.append(unit)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  static func appendString(_ text: String, to out: inout [UInt8]) {
    var copy = text
    copy.withUTF8 { appendString($0, to: &out) }
  }
}
