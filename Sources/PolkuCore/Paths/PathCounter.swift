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

  /// Counts `sessions` of `batch`.
  func count(_ batch: SessionBatch, sessions: Range<Int>) -> PathPartial {
    let slots = goalCount + 1
    var partial = PathPartial(goalSlots: slots, funnelLengths: funnels.map(\.steps.count))
    let sequences = StepSequences(
      batch: batch, sessions: sessions, alphabet: alphabet, goalCount: goalCount,
      collapseRepeats: collapseRepeats)
    partial.sessions = sequences.count
    var lastSession: [Int32] = []
    var key: [UInt32] = []
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
          key.append(contentsOf: steps[(start + max(0, reached - goalPathSteps))..<(start + reached)])
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
        // Micro-journeys: every contiguous n-gram of 2...maxSteps steps.
        for first in start..<end {
          let longest = min(maxSteps, end - first)
          guard longest >= 2 else { break }
          for length in 2...longest {
            let id = partial.grams.intern(UnsafeBufferPointer(rebasing: steps[first..<(first + length)]))
            if id == partial.gramSupport.count {
              partial.gramSupport.append(0)
              partial.gramOccurrences.append(0)
              partial.gramGoals.append(contentsOf: repeatElement(0, count: slots))
              lastSession.append(-1)
            }
            partial.gramOccurrences[id] += 1
            if lastSession[id] != Int32(session) {
              lastSession[id] = Int32(session)
              partial.gramSupport[id] += 1
              for slot in 0..<slots where sequences.goalStep[row + slot] >= 0 {
                partial.gramGoals[id * slots + slot] += 1
              }
              let millis = sequences.times[first + length - 1] - sequences.times[first]
              partial.gramTimes.append(UInt64(id) << 32 | UInt64(saturatingMillis(millis)))
            }
          }
        }
      }
    }
    for (index, funnel) in funnels.enumerated() {
      var matcher = FunnelMatcher(funnel: funnel)
      matcher.count(sequences, reached: &partial.funnelReached[index], gaps: &partial.funnelGaps[index])
    }
    return partial
  }
}
