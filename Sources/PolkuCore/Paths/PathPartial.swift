/// Path counts of some sessions: a mergeable partial result.
///
/// Each unit of work (a batch, or a run of whole visitors of one) fills one; the miner merges
/// them in unit order. Counts add; times are kept as `(id, milliseconds)` pairs so medians
/// can be taken once at the end; n-grams and goal paths are interned per partial and
/// re-interned on merge, so the merged content does not depend on how sessions were split.
struct PathPartial: Mergeable {
  /// Sessions seen, with or without steps.
  var sessions = 0
  /// Sessions with at least one step.
  var sessionsWithSteps = 0
  /// Sessions reaching each goal slot.
  var goalSessions: [Int]

  /// Contiguous step n-grams (length 2...max_steps).
  var grams = SequenceInterner(capacity: 4096)
  /// Sessions containing each n-gram.
  var gramSupport: [Int32] = []
  /// Occurrences of each n-gram.
  var gramOccurrences: [Int64] = []
  /// Sessions containing each n-gram that reach each goal slot (`gram × goalSlots + slot`).
  var gramGoals: [Int32] = []
  /// `id << 32 | ms`: first-to-last step time of an n-gram's first occurrence in a session,
  /// in parts (one per unit of work, filled by the miner's last pass, never merged).
  var gramTimes: [[UInt64]] = []

  /// Sessions starting and ending with each step.
  var entries: [UInt32: Int] = [:]
  var exits: [UInt32: Int] = [:]

  /// Goal paths, interned as `[slot, (start marker)?, steps…]`.
  var paths = SequenceInterner(capacity: 256)
  var pathCounts: [Int] = []
  /// `id << 32 | ms`: session start to goal.
  var pathTimes: [UInt64] = []

  /// Per funnel, per step: sessions (or visitors) that reached it.
  var funnelReached: [[Int]]
  /// Per funnel, per step: milliseconds from the previous step.
  var funnelGaps: [[[UInt32]]]

  /// Every session's steps, for sequential pattern mining.
  var sequences = SequenceDatabase()

  let goalSlots: Int

  init(goalSlots: Int, funnelLengths: [Int]) {
    self.goalSlots = goalSlots
    goalSessions = [Int](repeating: 0, count: goalSlots)
    funnelReached = funnelLengths.map { [Int](repeating: 0, count: $0) }
    funnelGaps = funnelLengths.map { [[UInt32]](repeating: [], count: $0) }
  }

  /// This partial, leaving an empty one in its place: the returned value then holds the
  /// only reference to the counts, so merging into it never copies them.
  mutating func take() -> PathPartial {
    let taken = self
    self = PathPartial(goalSlots: 0, funnelLengths: [])
    return taken
  }

  /// Keeps only the step pairs and the n-grams with at least `threshold` support (ids are
  /// renumbered in their old order; times must not have been collected yet).
  mutating func keepPairsAndGrams(withSupport threshold: Int) {
    var kept = SequenceInterner(capacity: 256)
    var support: [Int32] = []
    var occurrences: [Int64] = []
    var goals: [Int32] = []
    for id in 0..<grams.count where grams.length(id) == 2 || Int(gramSupport[id]) >= threshold {
      grams[id].withUnsafeBufferPointer { _ = kept.intern($0) }
      support.append(gramSupport[id])
      occurrences.append(gramOccurrences[id])
      goals.append(contentsOf: gramGoals[(id * goalSlots)..<((id + 1) * goalSlots)])
    }
    grams = kept
    gramSupport = support
    gramOccurrences = occurrences
    gramGoals = goals
  }

  /// Adds `other`'s counts to these.
  mutating func merge(_ other: consuming PathPartial) {
    sessions += other.sessions
    sessionsWithSteps += other.sessionsWithSteps
    for slot in 0..<goalSlots { goalSessions[slot] += other.goalSessions[slot] }

    let gramMap = grams.absorb(other.grams)
    let newCount = grams.count
    gramSupport.append(contentsOf: repeatElement(0, count: newCount - gramSupport.count))
    gramOccurrences.append(contentsOf: repeatElement(0, count: newCount - gramOccurrences.count))
    gramGoals.append(
      contentsOf: repeatElement(0, count: newCount * goalSlots - gramGoals.count))
    for (local, global) in gramMap.enumerated() {
      gramSupport[global] += other.gramSupport[local]
      gramOccurrences[global] += other.gramOccurrences[local]
      for slot in 0..<goalSlots {
        gramGoals[global * goalSlots + slot] += other.gramGoals[local * goalSlots + slot]
      }
    }

    entries.merge(other.entries, uniquingKeysWith: +)
    exits.merge(other.exits, uniquingKeysWith: +)

    let pathMap = paths.absorb(other.paths)
    pathCounts.append(contentsOf: repeatElement(0, count: paths.count - pathCounts.count))
    for (local, global) in pathMap.enumerated() { pathCounts[global] += other.pathCounts[local] }
    for packed in other.pathTimes {
      pathTimes.append(UInt64(pathMap[Int(packed >> 32)]) << 32 | (packed & 0xffff_ffff))
    }

    for funnel in funnelReached.indices {
      for step in funnelReached[funnel].indices {
        funnelReached[funnel][step] += other.funnelReached[funnel][step]
        funnelGaps[funnel][step].append(contentsOf: other.funnelGaps[funnel][step])
      }
    }
    sequences.append(contentsOf: other.sequences)
  }
}

/// Milliseconds as a `UInt32`, saturating (about 49.7 days) and never negative.
@inline(__always)
func saturatingMillis(_ value: Int64) -> UInt32 {
  value <= 0 ? 0 : value >= Int64(UInt32.max) ? UInt32.max : UInt32(value)
}
