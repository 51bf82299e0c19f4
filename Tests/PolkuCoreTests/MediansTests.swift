import PolkuGenerate
import Testing

@testable import PolkuCore

@Suite struct MediansTests {
  /// The median the slow way: sort a copy, take the middle (mean of the two for even counts).
  static func sortedMedian(_ values: [UInt32]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    if sorted.count % 2 == 1 { return Double(sorted[middle]) }
    return (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
  }

  @Test(arguments: ["random", "few distinct", "sorted", "reversed", "all equal", "organ pipe"])
  func selectionGivesTheSortedMedian(shape: String) {
    var generator = SplitMix64(seed: 42)
    for count in [1, 2, 3, 16, 17, 18, 100, 101, 1000, 4097, 50_000] {
      var values: [UInt32] = (0..<count).map { index in
        switch shape {
        case "random": UInt32(truncatingIfNeeded: generator.next())
        case "few distinct": UInt32(generator.next() % 3)
        case "sorted": UInt32(index)
        case "reversed": UInt32(count - index)
        case "all equal": 7
        default: UInt32(min(index, count - index))
        }
      }
      let expected = MediansTests.sortedMedian(values)
      var slice = values[...]
      #expect(Medians.median(&slice) == expected, "\(shape), \(count) values")
      // Selection must only reorder: the same multiset remains.
      values.sort()
      #expect(slice.sorted() == values)
    }
  }

  @Test func perSlotMediansOfPackedPairs() {
    // Id 0: 5, 1, 3 -> 3; id 1: not wanted; id 2: 10, 20 -> 15; id 3: wanted, no values.
    let packed: [UInt64] = [
      0 << 32 | 5, 2 << 32 | 20, 1 << 32 | 99, 0 << 32 | 1, 2 << 32 | 10, 0 << 32 | 3,
    ]
    let medians = Medians.of(
      [Array(packed[..<2]), Array(packed[2...])], slotOf: [0, -1, 1, 2], slots: 3)
    #expect(medians == [3, 15, nil])
  }

  @Test(arguments: [1, 2, 3, 8])
  func perSlotMediansAreTheSameOnAnyNumberOfThreads(threads: Int) {
    // Many parts of unequal size, slots with no, one, an even and an odd number of
    // values, ids that are not wanted, and a slot that holds most of the values.
    var generator = SplitMix(state: 99)
    let ids = 300
    let slotOf: [Int32] = (0..<ids).map { id -> Int32 in
      id % 7 == 3 ? -1 : Int32(id - id / 7)
    }
    let slots = Int(slotOf.max() ?? 0) + 2  // the last slot gets no values
    var expected = [[UInt32]](repeating: [], count: slots)
    var parts: [[UInt64]] = []
    for part in 0..<13 {
      var values: [UInt64] = []
      for _ in 0..<(part * 97 % 500) {
        let busy = generator.next() % 3 == 0
        let id = busy ? 5 : Int(generator.next() % UInt64(ids))
        let millis = UInt32(truncatingIfNeeded: generator.next() % 100_000)
        if slotOf[id] >= 0 { expected[Int(slotOf[id])].append(millis) }
        values.append(UInt64(id) << 32 | UInt64(millis))
      }
      parts.append(values)
    }
    let medians = Medians.of(parts, slotOf: slotOf, slots: slots, threads: threads)
    #expect(medians.count == slots)
    #expect(medians[slots - 1] == nil)
    for slot in 0..<slots {
      let want = expected[slot].isEmpty ? nil : MediansTests.sortedMedian(expected[slot])
      #expect(medians[slot] == want, "slot \(slot)")
    }
  }
}
