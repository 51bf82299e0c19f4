/// Text with `%`, space, tab, line breaks, U+0001 and DEL written as `%XX`, so that a
/// value never splits a space-separated record or a line, whatever bytes it holds.
///
/// The map outputs that cross a cluster (``MapPart``) use it: Spark's script transform
/// splits rows at line breaks and, for its output columns, at a field delimiter.
enum PercentText {
  /// Appends `bytes`, escaped, to `out`.
  static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    let hex: StaticString = "0123456789ABCDEF"
    for byte in bytes {
      if byte <= 32 || byte == 37 || byte == 127 {
        let digits = hex.utf8Start
        out += [37, digits[Int(byte >> 4)], digits[Int(byte & 15)]]
      } else {
        out.append(byte)
      }
    }
  }

  /// Appends `text`, escaped, to `out`.
  static func append(_ text: String, to out: inout [UInt8]) {
    var text = text
    text.withUTF8 { append($0, to: &out) }
  }

  /// Appends `=` and `bytes`, escaped: a field that is never empty, so a line never ends
  /// in a space that a reader could trim.
  static func appendField(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    out.append(61)
    append(bytes, to: &out)
  }

  /// Appends `=` and `text`, escaped (see ``appendField(_:to:)-(UnsafeBufferPointer<UInt8>,_)``).
  static func appendField(_ text: String, to out: inout [UInt8]) {
    out.append(61)
    append(text, to: &out)
  }

  /// The bytes of a field ``appendField(_:to:)-(UnsafeBufferPointer<UInt8>,_)`` wrote; nil
  /// when it does not start with `=` or is not well escaped.
  static func decodeField(_ field: ArraySlice<UInt8>) -> [UInt8]? {
    guard field.first == 61 else { return nil }
    return decode(field.dropFirst())
  }

  /// The bytes `escaped` stands for; nil when a `%` is not followed by two hex digits.
  static func decode(_ escaped: ArraySlice<UInt8>) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(escaped.count)
    var index = escaped.startIndex
    while index < escaped.endIndex {
      let byte = escaped[index]
      guard byte == 37 else {
        out.append(byte)
        index += 1
        continue
      }
      guard index + 2 < escaped.endIndex, let high = hexValue(escaped[index + 1]),
        let low = hexValue(escaped[index + 2])
      else { return nil }
      out.append(high << 4 | low)
      index += 3
    }
    return out
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 48...57: byte - 48
    case 65...70: byte - 55
    case 97...102: byte - 87
    default: nil
    }
  }
}
