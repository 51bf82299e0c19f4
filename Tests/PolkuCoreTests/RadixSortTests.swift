import Testing

@testable import PolkuCore

@Suite struct RadixSortTests {
  /// Packed `key << 32 | index` values, as the sessioniser builds them.
  static func packed(count: Int, keyRange: UInt64, seed: UInt64) -> [UInt64] {
    var state = seed
    return (0..<count).map { index in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return ((state >> 20) % keyRange) << 32 | UInt64(index)
    }
  }

  static let cases: [(count: Int, keyRange: UInt64)] = [
    (0, 10), (1, 10), (2, 1), (1000, 1), (1000, 7), (50_000, 2048), (50_000, 2049),
    (100_000, 3_000_000), (20_000, 2_147_483_648), (20_000, 4_294_967_296),
  ]

  @Test(arguments: cases)
  func sortsLikeTheStandardSort(count: Int, keyRange: UInt64) {
    var values = Self.packed(count: count, keyRange: keyRange, seed: UInt64(count) ^ keyRange)
    var expected = values
    expected.sort()
    RadixSort.sortByHighWord(&values)
    #expect(values == expected)
  }

  @Test(arguments: cases)
  func sortsInCallerMemoryLikeTheStandardSort(count: Int, keyRange: UInt64) {
    var values = Self.packed(count: count, keyRange: keyRange, seed: UInt64(count) ^ keyRange)
    let expected = values.sorted()
    // A longer scratch than needed, as a caller's reused buffer may be.
    var scratch = [UInt64](repeating: .max, count: count + 3)
    let sorted = values.withUnsafeMutableBufferPointer { values in
      scratch.withUnsafeMutableBufferPointer { scratch in
        Array(
          RadixSort.sortByHighWord(values, scratch: scratch)
            ? UnsafeMutableBufferPointer(rebasing: scratch[0..<count]) : values)
      }
    }
    #expect(sorted == expected)
  }

  @Test func equalKeysKeepTheirInputOrder() {
    // Low words that do not ascend: only the high word orders, ties stay as they came.
    func value(_ key: UInt64, _ low: UInt64) -> UInt64 { key << 32 | low }
    var values = [value(2, 9), value(1, 5), value(2, 1), value(1, 7), value(1, 2)]
    RadixSort.sortByHighWord(&values)
    #expect(values == [value(1, 5), value(1, 7), value(1, 2), value(2, 9), value(2, 1)])
  }

  @Test(arguments: [UInt64(16), 3_000_000, 1 << 40, UInt64.max])
  func pairsSortStablyLikeTheStandardSort(keyRange: UInt64) {
    var generator = SplitMix(state: keyRange)
    var keys = (0..<60_000).map { _ in
      keyRange == .max ? generator.next() : generator.next() % keyRange
    }
    keys += [0, .max, 0, keyRange - 1]
    var values = (0..<UInt32(keys.count)).map { $0 }
    let expected = zip(keys, values).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    RadixSort.sortPairs(&keys, &values)
    #expect(keys == expected.map(\.0))
    #expect(values == expected.map(\.1), "equal keys keep their input order")
  }
}
