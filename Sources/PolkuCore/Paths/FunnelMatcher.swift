/// Finds how far each session (or visitor) gets through one funnel.
///
/// Funnel steps must appear in order, other steps allowed between them. Without a time
/// limit, matching each step at its earliest possible place is optimal, so one greedy pass
/// from the first entry step is enough. With `within_seconds`, every step must come within
/// the limit of the entry step, so each occurrence of the entry step is tried and the
/// attempt that gets furthest wins (the earliest on a tie). The times between steps are
/// those of the winning attempt.
struct FunnelMatcher {
  let funnel: PathCounter.ResolvedFunnel
  private var bestGaps: [Int64]
  private var gaps: [Int64]
  private var steps: [UInt32] = []
  private var times: [Int64] = []

  init(funnel: PathCounter.ResolvedFunnel) {
    self.funnel = funnel
    bestGaps = [Int64](repeating: 0, count: funnel.steps.count)
    gaps = bestGaps
  }

  /// Adds every session of `sequences` (or every visitor, when the funnel counts visitors:
  /// a visitor's sessions are consecutive and are joined in time order) to `reached` and
  /// `gaps`.
  mutating func count(
    _ sequences: StepSequences, reached: inout [Int], gaps gapLists: inout [[UInt32]]
  ) {
    var session = 0
    while session < sequences.count {
      var last = session + 1
      if funnel.byVisitor {
        while last < sequences.count && sequences.visitors[last] == sequences.visitors[session] {
          last += 1
        }
      }
      let start = sequences.offsets[session]
      let end = sequences.offsets[last]
      let depth = sequences.steps.withUnsafeBufferPointer { allSteps in
        sequences.times.withUnsafeBufferPointer { allTimes in
          match(
            UnsafeBufferPointer(rebasing: allSteps[start..<end]),
            UnsafeBufferPointer(rebasing: allTimes[start..<end]))
        }
      }
      for index in 0..<depth {
        reached[index] += 1
        if index > 0 { gapLists[index].append(saturatingMillis(bestGaps[index])) }
      }
      session = last
    }
  }

  /// The number of funnel steps reached in `steps`; the gaps go to `bestGaps`.
  private mutating func match(
    _ steps: UnsafeBufferPointer<UInt32>, _ times: UnsafeBufferPointer<Int64>
  ) -> Int {
    let target = funnel.steps
    guard let entry = target.first, entry != 0 else { return 0 }
    var best = 0
    for first in steps.indices where steps[first] == entry {
      var depth = 1
      var previous = times[first]
      var position = first + 1
      while depth < target.count && position < steps.count {
        let time = times[position]
        if let limit = funnel.withinMillis, time - times[first] > limit { break }
        if steps[position] == target[depth] {
          gaps[depth] = time - previous
          previous = time
          depth += 1
        }
        position += 1
      }
      if depth > best {
        best = depth
        for index in 1..<depth { bestGaps[index] = gaps[index] }
      }
      if depth == target.count || funnel.withinMillis == nil { break }
    }
    return best
  }
}
