import Testing

@testable import PolkuCore

@Suite struct UTF8CheckTests {
  static let valid: [[UInt8]] = [
    [],
    Array("plain ascii that is longer than eight bytes".utf8),
    Array("päivää, 日本語, emoji 🎉 mixed with ascii runs of some length".utf8),
    [0xC2, 0x80],  // U+0080
    [0xDF, 0xBF],  // U+07FF
    [0xE0, 0xA0, 0x80],  // U+0800
    [0xED, 0x9F, 0xBF],  // U+D7FF, just below the surrogates
    [0xEE, 0x80, 0x80],  // U+E000, just above
    [0xF0, 0x90, 0x80, 0x80],  // U+10000
    [0xF4, 0x8F, 0xBF, 0xBF],  // U+10FFFF
    [0x00, 0x41],  // NUL is valid UTF-8
  ]

  static let invalid: [[UInt8]] = [
    [0x80],  // lone continuation
    [0xC0, 0xAF],  // overlong "/"
    [0xC1, 0xBF],  // overlong
    [0xE0, 0x80, 0xAF],  // overlong 3-byte
    [0xF0, 0x80, 0x80, 0xAF],  // overlong 4-byte
    [0xED, 0xA0, 0x80],  // U+D800 surrogate
    [0xED, 0xBF, 0xBF],  // U+DFFF surrogate
    [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
    [0xF5, 0x80, 0x80, 0x80],
    [0xFF],
    [0xC3],  // truncated
    [0xE2, 0x82],  // truncated
    Array("ascii run before a bad byte ".utf8) + [0xE9, 0x20],  // Latin-1 é
    [0xC3, 0x28],  // bad continuation
  ]

  @Test(arguments: valid) func acceptsWellFormed(_ bytes: [UInt8]) {
    #expect(bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) })
  }

  @Test(arguments: invalid) func rejectsMalformed(_ bytes: [UInt8]) {
    #expect(!bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) })
  }

  @Test func agreesWithTheStandardLibraryOnEveryShortSequence() {
    // Every 1- and 2-byte sequence, and 3-byte sequences with a lead of E0...F4.
    var checked = 0
    for first in 0...255 {
      for second in 0...255 {
        let bytes: [UInt8] = [UInt8(first), UInt8(second)]
        let expected = String(validating: bytes, as: UTF8.self) != nil
        #expect(bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) } == expected)
        checked += 1
      }
    }
    for first in 0xE0...0xF4 {
      for second in 0x70...0xC0 {
        for third in [0x41, 0x80, 0xBF, 0xC0] {
          for fourth in [0x80, 0xBF] {
            let bytes: [UInt8] = [UInt8(first), UInt8(second), UInt8(third), UInt8(fourth)]
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) } == expected)
          }
        }
      }
    }
    #expect(checked == 65_536)
  }
}

@Suite struct UTF8OrderTests {
  @Test func ordersByBytesLikeTheUTF8View() {
    let words = [
      "", "a", "ab", "abc", "abd", "b", "u-10", "u-100", "u-9", "U-1", "é", "z", "zé", "\u{0}",
      "a\u{0}", "日本", "日", "ﬀ", "e\u{301}",
    ]
    for a in words {
      for b in words {
        #expect(utf8Precedes(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) vs \(b)")
      }
    }
    // Bytes, not characters: "é" (C3 A9) sorts after "z" (7A) although it looks closer to "e".
    #expect(utf8Precedes("z", "é"))
    #expect(!utf8Precedes("é", "z"))
  }

  @Test func sortedIndicesFollowTheBytesAndKeepTiesInOrder() {
    // Ids around the 16-byte prefix the sort compares first: equal prefixes with
    // different tails, NUL padding against a real NUL, multi-byte characters across the
    // boundary, duplicates, and native (long) strings beside small ones.
    var generator = SplitMix(state: 16)
    let alphabet: [String] = ["a", "b", "\u{0}", "é", "日", "z", "0", "9"]
    var strings = [
      "", "\u{0}", "user_000000000000", "user_000000000000a", "user_000000000000\u{0}",
      "user_00000000000", "user_00000000000é", "user_0000000000日", "u-1", "u-1", "U-1",
    ]
    for _ in 0..<3_000 {
      var string = generator.next() % 2 == 0 ? "customer-0000000" : ""
      for _ in 0..<(generator.next() % 24) {
        string += alphabet[Int(generator.next() % UInt64(alphabet.count))]
      }
      strings.append(string)
    }
    strings += strings.prefix(200)  // duplicates, later in the list
    let expected = strings.indices.sorted { a, b in
      strings[a].utf8.lexicographicallyPrecedes(strings[b].utf8)
        || (strings[a].utf8.elementsEqual(strings[b].utf8) && a < b)
    }
    #expect(utf8SortedIndices(strings) == expected)
    #expect(utf8SortedIndices([]) == [])
  }
}
