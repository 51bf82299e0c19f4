import Testing

@testable import PolkuCore

@Suite struct SequenceInternerTests {
  /// Sequences of every kind: packable (short, values < 4096), too long, with a large
  /// value, empty, and ones that differ only in length or order.
  static func sequences(_ count: Int, seed: UInt64) -> [[UInt32]] {
    var generator = SplitMix(state: seed)
    return (0..<count).map { _ in
      let length = Int(generator.next() % 8)
      let large = generator.next() % 5 == 0
      return (0..<length).map { _ in
        let value = UInt32(generator.next() % 6)
        return large && generator.next() % 2 == 0 ? value + 4090 : value
      }
    }
  }

  @Test func idsFollowFirstInsertionWhateverTheTable() {
    let input = Self.sequences(20_000, seed: 7) + [[], [0], [0, 0], [4095, 1], [4096, 1]]
    var interner = SequenceInterner(capacity: 4)
    var firstId: [[UInt32]: Int] = [:]
    for sequence in input {
      let id = interner.intern(sequence)
      if let known = firstId[sequence] {
        #expect(id == known)
      } else {
        #expect(id == firstId.count, "a new sequence gets the next id")
        firstId[sequence] = id
      }
    }
    #expect(interner.count == firstId.count)
    for (sequence, id) in firstId {
      #expect(Array(interner[id]) == sequence)
      #expect(interner.lookup(sequence) == id)
    }
    #expect(interner.lookup([5, 5, 5, 5, 5, 5, 5, 5, 5]) == nil)
    #expect(interner.lookup([4097]) == nil)
    #expect([1, 2, 3, 4, 5].withUnsafeBufferPointer { SequenceInterner.packed($0) } != nil)
    #expect([1, 2, 3, 4, 5, 6].withUnsafeBufferPointer { SequenceInterner.packed($0) } == nil)
    #expect([1, 4096].withUnsafeBufferPointer { SequenceInterner.packed($0) } == nil)
  }

  @Test func absorbMapsIdsInTheOtherInternersOrder() {
    var left = SequenceInterner()
    var right = SequenceInterner()
    for sequence in Self.sequences(3_000, seed: 1) { _ = left.intern(sequence) }
    let rightInput = Self.sequences(3_000, seed: 2)
    for sequence in rightInput { _ = right.intern(sequence) }
    let before = left.count
    let map = left.absorb(right)
    #expect(map.count == right.count)
    for id in 0..<right.count { #expect(Array(left[map[id]]) == Array(right[id])) }
    #expect(left.count >= before)
  }
}
