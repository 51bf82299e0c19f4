/// A fast, allocation-free UTF-8 validator for byte slices.
///
/// Follows the Unicode "well-formed UTF-8 byte sequences" table (Unicode 15, table 3-7):
/// overlong encodings, UTF-16 surrogates (U+D800...U+DFFF), code points above U+10FFFF and
/// truncated sequences are all rejected. ASCII runs are checked eight bytes at a time.
public enum UTF8Check {
  /// Whether `bytes` is well-formed UTF-8. An empty slice is valid.
  public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let count = bytes.count
    let raw = UnsafeRawPointer(base)
    var index = 0
    while index < count {
      // ASCII fast path: eight bytes at a time while no high bit is set.
      while index + 8 <= count {
        let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if word & 0x8080_8080_8080_8080 != 0 { break }
        index += 8
      }
      guard index < count else { return true }
      let lead = base[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        low = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        high = 0x9F
      case 0xF0:
        length = 4
        low = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        high = 0x8F
      default: return false
      }
      guard index + length <= count else { return false }
      let second = base[index + 1]
      guard second >= low && second <= high else { return false }
      var next = index + 2
      while next < index + length {
        guard base[next] & 0xC0 == 0x80 else { return false }
        next += 1
      }
      index += length
    }
    return true
  }
}
