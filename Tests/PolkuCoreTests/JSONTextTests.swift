import Testing

@testable import PolkuCore

@Suite struct JSONTextTests {
  /// The escaping rule written the slow, obvious way: repair the bytes to a String, then
  /// escape one UTF-8 unit at a time.
  static func reference(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [34]
    let hex = Array("0123456789abcdef".utf8)
    for unit in String(decoding: bytes, as: UTF8.self).utf8 {
      switch unit {
      case 34: out += [92, 34]
      case 92: out += [92, 92]
      case 10: out += [92, 110]
      case 13: out += [92, 114]
      case 9: out += [92, 116]
      case 0..<32: out += [92, 117, 48, 48, hex[Int(unit >> 4)], hex[Int(unit & 15)]]
      default: out.append(unit)
      }
    }
    out.append(34)
    return out
  }

  static func escaped(_ bytes: [UInt8]) -> [UInt8] {
    var out = Array("prefix ".utf8)  // appends after what the buffer holds
    bytes.withUnsafeBufferPointer { JSONText.appendString($0, to: &out) }
    return Array(out.dropFirst(7))
  }

  @Test func escapesLikeTheReferenceOnFixedCases() {
    let cases: [[UInt8]] = [
      [], Array("plain".utf8), Array(#"say "hi" \ bye"#.utf8), [0, 1, 9, 10, 13, 31, 32, 127],
      Array("tab\there\nnew".utf8), Array("é日本".utf8), [0xC3], [0xFF, 0x41, 0xE2, 0x82],
      [0xED, 0xA0, 0x80], Array(#"\"#.utf8), Array(#"""#.utf8),
    ]
    for bytes in cases {
      #expect(Self.escaped(bytes) == Self.reference(bytes), "\(bytes)")
    }
    #expect(Self.escaped([0x22, 0x0A, 0x01]) == Array(#""\"\n\u0001""#.utf8))
  }

  @Test func escapesLikeTheReferenceOnRandomBytes() {
    // Mostly text with quotes, backslashes, controls and some broken UTF-8, as in
    // quarantined lines.
    var generator = SplitMix(state: 7)
    let pieces: [[UInt8]] = [
      Array("abc".utf8), [34], [92], [10], [0], [31], Array("é".utf8), [0xC3], [0xFF],
      Array("日".utf8), [0xE6, 0x97], Array(#"{"k":"v"}"#.utf8),
    ]
    for _ in 0..<2_000 {
      var bytes: [UInt8] = []
      for _ in 0..<(generator.next() % 40) {
        bytes += pieces[Int(generator.next() % UInt64(pieces.count))]
      }
      #expect(Self.escaped(bytes) == Self.reference(bytes), "\(bytes)")
    }
  }
}
