/// The steps of a run of consecutive sessions, in CSR layout, with where each goal is
/// reached.
///
/// Session `i`'s steps are `steps[offsets[i] ..< offsets[i + 1]]`, each with the time (ms)
/// of the event that started it. `goalStep[i × goalSlots + g]` is the number of steps
/// before the event that reached goal slot `g` (-1 when not reached) and `goalMillis` the
/// time from the session's start to that event.
///
/// The three path passes each rebuild the sequences of their unit (keeping them all would
/// cost hundreds of MB at 20 M events), so each builds only the ``Parts`` it reads: the
/// others stay empty.
struct StepSequences {
  /// What to build besides steps and offsets.
  struct Parts: OptionSet {
    let rawValue: UInt8
    /// `times`.
    static let times = Parts(rawValue: 1)
    /// `goalStep`.
    static let goalSteps = Parts(rawValue: 2)
    /// `goalMillis`.
    static let goalTimes = Parts(rawValue: 4)
    /// `visitors`.
    static let visitors = Parts(rawValue: 8)
    static let all: Parts = [.times, .goalSteps, .goalTimes, .visitors]
  }

  var steps: [UInt32] = []
  var times: [Int64] = []
  var offsets: [Int] = []
  var goalStep: [Int32] = []
  var goalMillis: [Int64] = []
  var visitors: [VisitorKey] = []
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
    collapseRepeats: Bool, parts: Parts = .all
  ) {
    goalSlots = goalCount + 1
    let identifiedSlot = goalCount
    let withTimes = parts.contains(.times)
    let withGoals = !parts.isDisjoint(with: [.goalSteps, .goalTimes])
    let withGoalTimes = parts.contains(.goalTimes)
    // Room for every event; the unused tail is cut off at the end (no copy).
    let bound = sessions.reduce(0) { $0 + Int(batch.sessions[$1].eventCount) }
    var steps = [UInt32](repeating: 0, count: bound)
    var times = [Int64](repeating: 0, count: withTimes ? bound : 0)
    var offsets = [Int](repeating: 0, count: sessions.count + 1)
    var goalStep = [Int32](repeating: -1, count: withGoals ? sessions.count * goalSlots : 0)
    var goalMillis = [Int64](repeating: 0, count: withGoalTimes ? sessions.count * goalSlots : 0)
    if parts.contains(.visitors) { visitors = sessions.map { batch.sessions[$0].visitor } }
    let goalBits: UInt64 = goalCount >= 64 ? ~0 : (UInt64(1) << UInt64(goalCount)) - 1
    var stepCount = 0
    batch.events.withUnsafeBufferPointer { events in
      batch.sessions.withUnsafeBufferPointer { allSessions in
        steps.withUnsafeMutableBufferPointer { steps in
          times.withUnsafeMutableBufferPointer { times in
            goalStep.withUnsafeMutableBufferPointer { goalStep in
              goalMillis.withUnsafeMutableBufferPointer { goalMillis in
                for (local, sessionIndex) in sessions.enumerated() {
                  let session = allSessions[sessionIndex]
                  let row = local * goalSlots
                  var pending = withGoals ? session.goals & goalBits : 0
                  let identifiedAt = withGoals ? Int(session.identifiedAt) : -1
                  let first = stepCount
                  var previous: UInt32 = 0
                  for (offset, position) in session.eventRange.enumerated() {
                    let event = events[position]
                    if pending != 0 || offset == identifiedAt {
                      let before = Int32(stepCount - first)
                      var hits = alphabet.goals(of: event) & pending
                      pending &= ~hits
                      while hits != 0 {
                        let slot = hits.trailingZeroBitCount
                        hits &= hits - 1
                        goalStep[row + slot] = before
                        if withGoalTimes { goalMillis[row + slot] = event.time - session.start }
                      }
                      if offset == identifiedAt {
                        goalStep[row + identifiedSlot] = before
                        if withGoalTimes {
                          goalMillis[row + identifiedSlot] = event.time - session.start
                        }
                      }
                    }
                    let step = alphabet.step(of: event)
                    if step == 0 || (collapseRepeats && step == previous && stepCount > first) {
                      continue
                    }
                    steps[stepCount] = step
                    if withTimes { times[stepCount] = event.time }
                    stepCount += 1
                    previous = step
                  }
                  while pending != 0 {
                    let slot = pending.trailingZeroBitCount
                    pending &= pending - 1
                    goalStep[row + slot] = Int32(stepCount - first)
                    if withGoalTimes { goalMillis[row + slot] = session.end - session.start }
                  }
                  offsets[local + 1] = stepCount
                }
              }
            }
          }
        }
      }
    }
    steps.removeLast(bound - stepCount)
    if withTimes { times.removeLast(bound - stepCount) }
    self.steps = steps
    self.times = times
    self.offsets = offsets
    self.goalStep = goalStep
    self.goalMillis = goalMillis
  }

  /// The goal slots session `session` reaches, into `slots` (replacing its contents): the
  /// counting loops then touch only those, not every slot per n-gram.
  func reachedSlots(of session: Int, into slots: inout [Int]) {
    slots.removeAll(keepingCapacity: true)
    let row = session * goalSlots
    for slot in 0..<goalSlots where goalStep[row + slot] >= 0 { slots.append(slot) }
  }
}
