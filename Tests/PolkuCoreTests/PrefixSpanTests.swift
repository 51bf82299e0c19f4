import Testing

@testable import PolkuCore

@Suite struct PrefixSpanTests {
  /// Four short click-streams whose frequent patterns at support 2 were worked out by hand.
  let database = SequenceDatabase([[1, 2, 3], [1, 3], [2, 3, 1], [1, 2, 3, 1]])

  func lines(_ patterns: SequentialPatterns) -> [String] {
    patterns.canonicalText().split(separator: "\n").map(String.init)
  }

  @Test func findsEveryGappedPatternWithSequenceSupport() {
    let found = PrefixSpan(minSupport: 2).mine(database)
    #expect(
      lines(found) == [
        "4\t1", "2\t1 2", "2\t1 2 3", "3\t1 3", "3\t2", "2\t2 1", "3\t2 3", "2\t2 3 1", "4\t3",
        "2\t3 1",
      ])
  }

  @Test func respectsLengthLimits() {
    let found = PrefixSpan(minSupport: 2, minLength: 2, maxLength: 2).mine(database)
    #expect(lines(found) == ["2\t1 2", "3\t1 3", "2\t2 1", "3\t2 3", "2\t3 1"])
  }

  @Test func keepsOnlyClosedPatterns() {
    let closed = PrefixSpan(minSupport: 2, closedOnly: true).mine(database)
    #expect(lines(closed) == ["4\t1", "2\t1 2 3", "3\t1 3", "3\t2 3", "2\t2 3 1", "4\t3"])
    // At a length limit, closedness is still judged against the longer patterns.
    let short = PrefixSpan(minSupport: 2, maxLength: 2, closedOnly: true).mine(database)
    #expect(lines(short) == ["4\t1", "3\t1 3", "3\t2 3", "4\t3"])
  }

  @Test func countsRepeatedItemsOncePerSequence() {
    let repeats = SequenceDatabase([[5, 5, 5], [5], [7, 5, 7, 5]])
    let found = PrefixSpan(minSupport: 1).mine(repeats)
    #expect(
      lines(found) == [
        "3\t5", "2\t5 5", "1\t5 5 5", "1\t5 7", "1\t5 7 5", "1\t7", "1\t7 5", "1\t7 5 5",
        "1\t7 5 7", "1\t7 5 7 5", "1\t7 7", "1\t7 7 5",
      ])
  }

  @Test(arguments: [1, 2, 7])
  func sameResultWhateverTheThreadCount(threads: Int) {
    var sequences: [[UInt32]] = []
    var state: UInt32 = 12345
    for _ in 0..<300 {
      var sequence: [UInt32] = []
      state = state &* 1_103_515_245 &+ 12345
      for _ in 0..<(Int(state >> 16) % 9 + 1) {
        state = state &* 1_103_515_245 &+ 12345
        sequence.append((state >> 16) % 12)
      }
      sequences.append(sequence)
    }
    let db = SequenceDatabase(sequences)
    let reference = PrefixSpan(minSupport: 15, threads: 1).mine(db)
    let other = PrefixSpan(minSupport: 15, threads: threads).mine(db)
    #expect(other == reference)
    #expect(reference.count > 50)
  }

  @Test(arguments: [2, 3, 7])
  func compactionIsTheSameWhateverTheThreadCount(threads: Int) {
    // Enough sequences to be split into runs; many repeats, items that drop out as
    // infrequent, and sequences made only of those (which vanish).
    var generator = SplitMix(state: UInt64(threads))
    var sequences: [[UInt32]] = []
    for _ in 0..<30_000 {
      let length = Int(generator.next() % 6)
      sequences.append(
        (0..<length).map { _ in
          generator.next() % 5 == 0
            ? UInt32(100 + generator.next() % 400) : UInt32(generator.next() % 6)
        })
    }
    let db = SequenceDatabase(sequences)
    let one = CompactDatabase(db, minSupport: 40, threads: 1)
    let many = CompactDatabase(db, minSupport: 40, threads: threads)
    #expect(many.items == one.items)
    #expect(many.offsets == one.offsets)
    #expect(many.weights == one.weights)
    #expect(many.originals == one.originals)
    // The reference: frequent items only, empty sequences dropped, distinct sequences in
    // first-occurrence order with their counts.
    var support: [UInt32: Int] = [:]
    for sequence in sequences { for item in Set(sequence) { support[item, default: 0] += 1 } }
    let frequent = support.filter { $0.value >= 40 }.keys.sorted()
    #expect(one.originals == frequent)
    var order: [[UInt32]] = []
    var counts: [[UInt32]: UInt32] = [:]
    for sequence in sequences {
      let kept = sequence.filter { support[$0, default: 0] >= 40 }
      guard !kept.isEmpty else { continue }
      if counts[kept] == nil { order.append(kept) }
      counts[kept, default: 0] += 1
    }
    let stored = (0..<(many.offsets.count - 1)).map { index in
      many.items[many.offsets[index]..<many.offsets[index + 1]].map { many.originals[Int($0)] }
    }
    #expect(stored == order)
    #expect(many.weights == order.map { counts[$0] ?? 0 })
  }

  /// A length-bounded search counts its last level from suffix item sets when the frequent
  /// items fit in 32 bits, by scanning otherwise: both must equal the unbounded search cut
  /// to the bound.
  @Test(arguments: [3, 12, 31, 32, 33, 60])
  func boundedSearchEqualsTheUnboundedOneCut(alphabet: Int) {
    var sequences: [[UInt32]] = []
    var state: UInt32 = 777 &+ UInt32(alphabet)
    for _ in 0..<400 {
      var sequence: [UInt32] = []
      state = state &* 1_103_515_245 &+ 12345
      for _ in 0..<(Int(state >> 16) % 12 + 1) {
        state = state &* 1_103_515_245 &+ 12345
        // Skewed towards low ids, so that long patterns are frequent too.
        let draw = Int(state >> 16) % (alphabet * alphabet)
        sequence.append(UInt32(Int(Double(draw).squareRoot())))
      }
      sequences.append(sequence)
    }
    let db = SequenceDatabase(sequences)
    let unbounded = PrefixSpan(minSupport: 4).mine(db)
    #expect(unbounded.count > 100)
    for maxLength in 1...4 {
      let bounded = PrefixSpan(minSupport: 4, maxLength: maxLength, threads: 2).mine(db)
      #expect(bounded == unbounded.filtered { $0 <= maxLength }, "max length \(maxLength)")
    }
  }

  @Test func emptyDatabaseAndHighSupportGiveNothing() {
    #expect(PrefixSpan(minSupport: 1).mine(SequenceDatabase()).count == 0)
    #expect(PrefixSpan(minSupport: 5).mine(database).count == 0)
  }

  @Test(arguments: [
    (0.001, 59601, 60), (0.1, 30, 3), (0.5, 3, 2), (0.02, 31790, 636), (0.0001, 5, 1),
  ])
  func fractionalSupportRoundsUp(fraction: Double, sequences: Int, expected: Int) {
    #expect(PrefixSpan.absoluteSupport(fraction: fraction, sequences: sequences) == expected)
  }

  @Test func readsSPMF() throws {
    let db = try SequenceDatabase(spmf: "1 -1 2 -1 -2\n# comment\n\n3 -1 4 5 -1 -2\r\n-2\n")
    #expect(db == SequenceDatabase([[1, 2], [3, 4, 5], []]))
    #expect(throws: SPMFFormatError.self) { try SequenceDatabase(spmf: "1 -1 x -1 -2\n") }
  }
}
