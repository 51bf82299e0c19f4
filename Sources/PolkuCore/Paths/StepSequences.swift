/// The steps of a run of consecutive sessions, in CSR layout, with where each goal is
/// reached.
///
/// Session `i`'s steps are `steps[offsets[i] ..< offsets[i + 1]]`, each with the time (ms)
/// of the event that started it. `goalStep[i × goalSlots + g]` is the number of steps
/// before the event that reached goal slot `g` (-1 when not reached) and `goalMillis` the
/// time from the session's start to that event.
struct StepSequences {
  var steps: [UInt32] = []
  var times: [Int64] = []
  var offsets: [Int] = [0]
  var goalStep: [Int32] = []
  var goalMillis: [Int64] = []
  var visitors: [VisitorKey] = []
  var starts: [Int64] = []
  let goalSlots: Int

  /// The number of sessions.
  var count: Int { offsets.count - 1 }

  /// Turns `sessions` of `batch` into steps.
  ///
  /// Goal slots are the pipeline's goals (at most 64) and then `first_identified`. A goal
  /// is reached at the first event that matches it, if the session has its bit set; when no
  /// event matches (the sessioniser judged otherwise), it counts as reached after the last
  /// step at the session's end.
  init(
    batch: SessionBatch, sessions: Range<Int>, alphabet: StepAlphabet, goalCount: Int,
    collapseRepeats: Bool
  ) {
    goalSlots = goalCount + 1
    let identifiedSlot = goalCount
    steps.reserveCapacity(batch.events.count / max(1, batch.sessions.count) * sessions.count)
    times.reserveCapacity(steps.capacity)
    offsets.reserveCapacity(sessions.count + 1)
    goalStep = [Int32](repeating: -1, count: sessions.count * goalSlots)
    goalMillis = [Int64](repeating: 0, count: sessions.count * goalSlots)
    visitors.reserveCapacity(sessions.count)
    starts.reserveCapacity(sessions.count)
    let goalBits: UInt64 = goalCount >= 64 ? ~0 : (UInt64(1) << UInt64(goalCount)) - 1
    batch.events.withUnsafeBufferPointer { events in
      for (local, sessionIndex) in sessions.enumerated() {
        let session = batch.sessions[sessionIndex]
        let row = local * goalSlots
        var pending = session.goals & goalBits
        let first = steps.count
        var previous: UInt32 = 0
        for (offset, position) in session.eventRange.enumerated() {
          let event = events[position]
          let before = Int32(steps.count - first)
          if pending != 0 {
            var hits = alphabet.goals(of: event) & pending
            pending &= ~hits
            while hits != 0 {
              let slot = hits.trailingZeroBitCount
              hits &= hits - 1
              goalStep[row + slot] = before
              goalMillis[row + slot] = event.time - session.start
            }
          }
          if offset == Int(session.identifiedAt) {
            goalStep[row + identifiedSlot] = before
            goalMillis[row + identifiedSlot] = event.time - session.start
          }
          let step = alphabet.step(of: event)
          if step == 0 || (collapseRepeats && step == previous && steps.count > first) { continue }
          steps.append(step)
          times.append(event.time)
          previous = step
        }
        while pending != 0 {
          let slot = pending.trailingZeroBitCount
          pending &= pending - 1
          goalStep[row + slot] = Int32(steps.count - first)
          goalMillis[row + slot] = session.end - session.start
        }
        offsets.append(steps.count)
        visitors.append(session.visitor)
        starts.append(session.start)
      }
    }
  }
}
