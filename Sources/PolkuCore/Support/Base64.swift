/// Base64 (RFC 4648, standard alphabet) of bytes, to and from byte arrays: no `String`, no
/// `Data`. Written without `=` padding; read with or without it.
enum Base64 {
  private static let alphabet: [UInt8] = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// 0...63 for an alphabet byte, 255 for any other.
  private static let values: [UInt8] = {
    var values = [UInt8](repeating: 255, count: 256)
    for (value, byte) in alphabet.enumerated() { values[Int(byte)] = UInt8(value) }
    return values
  }()

  /// The characters `count` bytes take.
  static func encodedCount(_ count: Int) -> Int { (count * 4 + 2) / 3 }

  /// Appends `bytes`, encoded, to `out`.
  static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    let table = alphabet
    var at = 0
    while at + 3 <= bytes.count {
      let word = UInt32(bytes[at]) << 16 | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2])
      out.append(table[Int(word >> 18)])
      out.append(table[Int(word >> 12 & 63)])
      out.append(table[Int(word >> 6 & 63)])
      out.append(table[Int(word & 63)])
      at += 3
    }
    let rest = bytes.count - at
    guard rest > 0 else { return }
    let word = UInt32(bytes[at]) << 16 | (rest == 2 ? UInt32(bytes[at + 1]) << 8 : 0)
    out.append(table[Int(word >> 18)])
    out.append(table[Int(word >> 12 & 63)])
    if rest == 2 { out.append(table[Int(word >> 6 & 63)]) }
  }

  /// The bytes `text` encodes, appended to `out` (emptied first); false when `text` is not
  /// base64 (a byte outside the alphabet, a length that no byte count gives, padding that
  /// does not make a multiple of 4 characters, or bits set past the last byte).
  static func decode(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    out.removeAll(keepingCapacity: true)
    var text = text
    if text.count % 4 == 0 && text.last == UInt8(ascii: "=") {
      let pads = text.count >= 2 && text[text.count - 2] == UInt8(ascii: "=") ? 2 : 1
      text = UnsafeBufferPointer(rebasing: text[..<(text.count - pads)])
    }
    guard text.count % 4 != 1 else { return false }
    out.reserveCapacity(text.count * 3 / 4)
    let values = self.values
    var word: UInt32 = 0
    var bits = 0
    for byte in text {
      let value = values[Int(byte)]
      guard value != 255 else { return false }
      word = word << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: word >> UInt32(bits)))
        word &= (1 << UInt32(bits)) - 1
      }
    }
    return word == 0
  }
}
