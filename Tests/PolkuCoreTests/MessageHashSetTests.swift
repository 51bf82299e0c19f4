import PolkuGenerate
import Testing

@testable import PolkuCore

@Suite struct MessageHashSetTests {
  /// The set agrees with `Set<UInt64>` on random visitors of 1 to 5,000 hashes with many
  /// repeats, emptied between visitors as the sessioniser does.
  @Test func agreesWithSetAcrossVisitors() {
    var generator = SplitMix64(seed: 7)
    var set = MessageHashSet()
    for visitor in 0..<300 {
      var reference = Set<UInt64>()
      set.removeAll()
      let count =
        visitor % 3 == 0 ? Int(generator.next() % 5_000) + 1 : Int(generator.next() % 40) + 1
      let distinct = max(1, count / 2)
      for _ in 0..<count {
        // Hashes drawn from a small pool so that duplicates are common; never 0.
        let hash = (generator.next() % UInt64(distinct) + 1) &* 0x9E37_79B9_7F4A_7C15 | 1
        let inserted = set.insert(hash)
        #expect(inserted == reference.insert(hash).inserted)
      }
    }
  }

  @Test func emptiedSetForgetsEverything() {
    var set = MessageHashSet()
    for hash in 1...500 as ClosedRange<UInt64> {
      let inserted = set.insert(hash)
      #expect(inserted)
    }
    let again = set.insert(250)
    #expect(!again)
    set.removeAll()
    for hash in 1...500 as ClosedRange<UInt64> {
      let inserted = set.insert(hash)
      #expect(inserted)
    }
  }
}
