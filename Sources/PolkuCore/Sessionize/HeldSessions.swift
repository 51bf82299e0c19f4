/// The sessions a nightly run holds back: still open at the night's cut, so not published
/// tonight but saved in the state and published, whole, by the night in which they close.
///
/// A session is open at the cut when its last event is within `gap_seconds` of it (an event
/// right after the cut would still join it); every other session is known to be closed and
/// is published tonight. So each session is published once, in the partition of the night
/// it closed in, as the single run over the same files has it.
public struct HeldSessions: Sendable, Equatable {
  /// The held sessions' events, as ``SessionTails`` text for the state.
  public var tails: [UInt8] = []
  /// How many sessions were held.
  public var sessions = 0
  /// How many events they had.
  public var events = 0
  /// Their events past ``SessionTails/maxEventsPerVisitor`` (the earliest of a very long
  /// session), not carried: the night that publishes such a session has it start later.
  public var eventsDropped = 0

  public init() {}

  /// Takes the sessions of `run` still open at `cut` out of its batches (their events stay,
  /// no longer in any session) and returns them as tails.
  ///
  /// The run must come from a sessioniser that kept tails (``Sessionizer/keepsTails``), and
  /// `cut` must be at or after its latest session end.
  public static func take(from run: inout SessionizedRun, cut: Int64, gapSeconds: Int)
    -> HeldSessions
  {
    var held = HeldSessions()
    held.tails = SessionTails.collect(run, batchEnd: cut, gapSeconds: gapSeconds)
    let gap = Int64(gapSeconds) * 1000
    for index in run.batches.indices {
      let batch = run.batches[index]
      let open = Set(
        batch.openTails.lazy.map(\.session).filter { cut - batch.sessions[$0].end <= gap })
      guard !open.isEmpty else {
        run.batches[index].openTails = []
        continue
      }
      held.sessions += open.count
      for session in open.map({ batch.sessions[$0] }) {
        held.events += Int(session.eventCount)
        held.eventsDropped += max(0, Int(session.eventCount) - SessionTails.maxEventsPerVisitor)
      }
      var kept: [Session] = []
      kept.reserveCapacity(batch.sessions.count - open.count)
      for (position, session) in batch.sessions.enumerated() where !open.contains(position) {
        kept.append(session)
      }
      run.batches[index].sessions = kept
      run.batches[index].openTails = []
    }
    return held
  }
}
