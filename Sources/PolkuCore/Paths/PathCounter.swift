/// Counts the paths of one unit of sessions into a ``PathPartial``.
///
/// Holds only immutable, pre-resolved options, so any thread may use it. Session work is
/// integer work on step ids; no strings are touched.
struct PathCounter: Sendable {
  /// A funnel with its steps resolved to step ids (0 = a label no event has).
  struct ResolvedFunnel: Sendable {
    var steps: [UInt32]
    var withinMillis: Int64?
    var byVisitor: Bool
  }

  let alphabet: StepAlphabet
  let goalCount: Int
  let maxSteps: Int
  let goalPathSteps: Int
  let collapseRepeats: Bool
  let funnels: [ResolvedFunnel]
  let keepSequences: Bool

  /// Marks a goal path that starts at the session's start (`(start)`).
  static let startMarker = UInt32.max

  /// Counts `sessions` of `batch`: everything but micro-journeys longer than two steps.
  func count(_ batch: SessionBatch, sessions: Range<Int>) -> PathPartial {
    let slots = goalCount + 1
    var partial = PathPartial(goalSlots: slots, funnelLengths: funnels.map(\.steps.count))
    let sequences = StepSequences(
      batch: batch, sessions: sessions, alphabet: alphabet, goalCount: goalCount,
      collapseRepeats: collapseRepeats)
    partial.sessions = sequences.count
    var lastSession: [Int32] = []
    var key: [UInt32] = []
    var reached: [Int] = []
    sequences.steps.withUnsafeBufferPointer { steps in
      for session in 0..<sequences.count {
        let start = sequences.offsets[session]
        let end = sequences.offsets[session + 1]
        let row = session * slots
        for slot in 0..<slots where sequences.goalStep[row + slot] >= 0 {
          partial.goalSessions[slot] += 1
        }
        if keepSequences { partial.sequences.append(steps[start..<end]) }
        // Goal paths: the last k steps before each goal reached.
        for slot in 0..<slots {
          let reached = Int(sequences.goalStep[row + slot])
          guard reached >= 0 else { continue }
          key.removeAll(keepingCapacity: true)
          key.append(UInt32(slot))
          if reached <= goalPathSteps { key.append(PathCounter.startMarker) }
          key.append(
            contentsOf: steps[(start + max(0, reached - goalPathSteps))..<(start + reached)])
          let id = partial.paths.intern(key)
          if id == partial.pathCounts.count { partial.pathCounts.append(0) }
          partial.pathCounts[id] += 1
          let millis = sequences.goalMillis[row + slot]
          partial.pathTimes.append(UInt64(id) << 32 | UInt64(saturatingMillis(millis)))
        }
        guard end > start else { continue }
        partial.sessionsWithSteps += 1
        partial.entries[steps[start], default: 0] += 1
        partial.exits[steps[end - 1], default: 0] += 1
        // Micro-journeys, first pass: step pairs. Longer n-grams come in a second pass.
        sequences.reachedSlots(of: session, into: &reached)
        for first in start..<(end - 1) {
          partial.countGram(
            steps, first: first, length: 2, session: session, reached: reached,
            lastSession: &lastSession)
        }
      }
    }
    for (index, funnel) in funnels.enumerated() {
      var matcher = FunnelMatcher(funnel: funnel)
      matcher.count(
        sequences, reached: &partial.funnelReached[index], gaps: &partial.funnelGaps[index])
    }
    return partial
  }

  /// Counts the micro-journeys of 3...maxSteps steps of `sessions` of `batch`, skipping
  /// every n-gram that has a step pair not in `frequentPairs` (such an n-gram cannot reach
  /// the support threshold, since each session containing it contains the pair). Keeps
  /// memory to the n-grams that can matter.
  func countLongJourneys(
    _ batch: SessionBatch, sessions: Range<Int>, frequentPairs: PairSet
  ) -> PathPartial {
    let slots = goalCount + 1
    var partial = PathPartial(goalSlots: slots, funnelLengths: funnels.map(\.steps.count))
    guard maxSteps >= 3, !frequentPairs.isEmpty else { return partial }
    let sequences = StepSequences(
      batch: batch, sessions: sessions, alphabet: alphabet, goalCount: goalCount,
      collapseRepeats: collapseRepeats, parts: .goalSteps)
    var lastSession: [Int32] = []
    var reached: [Int] = []
    sequences.steps.withUnsafeBufferPointer { steps in
      for session in 0..<sequences.count {
        let start = sequences.offsets[session]
        let end = sequences.offsets[session + 1]
        guard end - start >= 3 else { continue }
        sequences.reachedSlots(of: session, into: &reached)
        // Extend from each start while consecutive pairs stay frequent.
        var first = start
        while first < end - 2 {
          var length = 1
          while first + length < end && length < maxSteps
            && frequentPairs.contains(steps[first + length - 1], steps[first + length])
          {
            length += 1
            if length >= 3 {
              partial.countGram(
                steps, first: first, length: length, session: session, reached: reached,
                lastSession: &lastSession)
            }
          }
          first += 1
        }
      }
    }
    return partial
  }
}

extension PathPartial {
  /// Counts one occurrence of the n-gram `steps[first ..< first + length]` in `session`.
  @inline(__always)
  mutating func countGram(
    _ steps: UnsafeBufferPointer<UInt32>, first: Int, length: Int, session: Int,
    reached: [Int], lastSession: inout [Int32]
  ) {
    let id = grams.intern(UnsafeBufferPointer(rebasing: steps[first..<(first + length)]))
    if id == gramSupport.count {
      gramSupport.append(0)
      gramOccurrences.append(0)
      gramGoals.append(contentsOf: repeatElement(0, count: goalSlots))
      lastSession.append(-1)
    }
    gramOccurrences[id] += 1
    guard lastSession[id] != Int32(session) else { return }
    lastSession[id] = Int32(session)
    gramSupport[id] += 1
    for slot in reached { gramGoals[id * goalSlots + slot] += 1 }
  }
}

extension PathCounter {
  /// Third pass: the first-to-last-step time of each kept n-gram's first occurrence in
  /// each session, as `total id << 32 | ms`.
  ///
  /// Times are collected only for the n-grams that made the support cut, after counting,
  /// so memory holds a few hundred n-grams' times rather than one entry per n-gram per
  /// session (about 1 GB on 20 M events). `kept` holds just those n-grams (small enough to
  /// stay in the cache), and `keptIds` their ids in the total counts.
  ///
  /// From each step, n-grams are extended only while the n-gram so far made the cut: a
  /// session containing an n-gram contains its prefix, so no extension of an n-gram below
  /// the threshold can reach it.
  func gramTimes(
    _ batch: SessionBatch, sessions: Range<Int>, kept: SequenceInterner, keptIds: [Int]
  ) -> [UInt64] {
    let sequences = StepSequences(
      batch: batch, sessions: sessions, alphabet: alphabet, goalCount: goalCount,
      collapseRepeats: collapseRepeats, parts: .times)
    var result: [UInt64] = []
    var lastSession = [Int32](repeating: -1, count: keptIds.count)
    sequences.steps.withUnsafeBufferPointer { steps in
      for session in 0..<sequences.count {
        let start = sequences.offsets[session]
        let end = sequences.offsets[session + 1]
        guard end - start >= 2 else { continue }
        for first in start..<(end - 1) {
          var length = 2
          while first + length <= end && length <= maxSteps {
            let gram = UnsafeBufferPointer(rebasing: steps[first..<(first + length)])
            guard let local = kept.lookup(gram) else { break }
            if lastSession[local] != Int32(session) {
              lastSession[local] = Int32(session)
              let millis = sequences.times[first + length - 1] - sequences.times[first]
              result.append(UInt64(keptIds[local]) << 32 | UInt64(saturatingMillis(millis)))
            }
            length += 1
          }
        }
      }
    }
    return result
  }
}
