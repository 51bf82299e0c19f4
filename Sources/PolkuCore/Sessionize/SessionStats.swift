/// The counts over sessions that `summary.json` reports: sessions, visitors, users,
/// events, bounces, durations, sessions per channel and per goal, the first and last
/// event.
///
/// An ``Aggregation`` over sessions in (visitor, start) order, one part per batch:
/// partials merge exactly for any split of that order (a visitor cut by a split is
/// counted once), so per-batch partials give the same result as one pass.
struct SessionStats: Aggregation {
  /// The size of the run's id table: users are counted in a bit set over it.
  let idCount: Int
  /// Goal slots counted (the pipeline's goals, at most 64).
  let goalCount: Int

  struct Partial: Mergeable {
    var durations = DurationCounts()
    var bounces = 0
    var events = 0
    var visitors = 0
    /// The first and last visitor added: a visitor spanning two partials counts once.
    var firstVisitor: VisitorKey?
    var lastVisitor: VisitorKey?
    /// Bit `id` is set when user `id` has a session.
    var users: [UInt64]
    /// Sessions per channel id (channel bits 0...63).
    var perChannel = [Int](repeating: 0, count: 64)
    var perGoal: [Int]
    var first = Int64.max
    var last = Int64.min
    /// Sessions by event count, in ``SessionDistributions/eventBuckets``.
    var eventBuckets = [Int](repeating: 0, count: SessionDistributions.eventBuckets.count)
    /// Per UTC day of the session start (days since the epoch): sessions per channel id
    /// (0...63), then all sessions (slot 64).
    var perDay: [Int64: [Int]] = [:]

    mutating func merge(_ other: consuming Partial) {
      durations.merge(other.durations)
      bounces += other.bounces
      events += other.events
      visitors += other.visitors
      if let lastVisitor, lastVisitor == other.firstVisitor { visitors -= 1 }
      if firstVisitor == nil { firstVisitor = other.firstVisitor }
      if other.lastVisitor != nil { lastVisitor = other.lastVisitor }
      for word in users.indices { users[word] |= other.users[word] }
      for channel in perChannel.indices { perChannel[channel] += other.perChannel[channel] }
      for goal in perGoal.indices { perGoal[goal] += other.perGoal[goal] }
      first = min(first, other.first)
      last = max(last, other.last)
      for bucket in eventBuckets.indices { eventBuckets[bucket] += other.eventBuckets[bucket] }
      perDay.merge(other.perDay) { mine, theirs in zip(mine, theirs).map { $0 + $1 } }
    }
  }

  /// The totals; `durations` sorted.
  struct Result: Sendable {
    var sessions: Int
    var visitors: Int
    var users: Int
    var events: Int
    var bounces: Int
    /// Session durations in seconds.
    var durations: DurationCounts
    var perChannel: [Int]
    var perGoal: [Int]
    /// The earliest session start and the latest session end (ms), when there are sessions.
    var first: Int64
    var last: Int64
    /// Sessions by event count, in ``SessionDistributions/eventBuckets``.
    var eventBuckets: [Int]
    /// Per UTC day (days since the epoch): sessions per channel id, then all (slot 64).
    var perDay: [Int64: [Int]]
  }

  func create() -> Partial {
    Partial(
      users: [UInt64](repeating: 0, count: (idCount + 63) / 64),
      perGoal: [Int](repeating: 0, count: goalCount))
  }

  func add(_ session: Session, to partial: inout Partial) {
    partial.durations.add(session.durationSeconds)
    if session.isBounce { partial.bounces += 1 }
    partial.events += Int(session.eventCount)
    if session.visitor != partial.lastVisitor { partial.visitors += 1 }
    if partial.firstVisitor == nil { partial.firstVisitor = session.visitor }
    partial.lastVisitor = session.visitor
    if session.user != 0 { partial.users[Int(session.user) >> 6] |= 1 << (session.user & 63) }
    var channels = session.channels
    while channels != 0 {
      partial.perChannel[channels.trailingZeroBitCount] += 1
      channels &= channels - 1
    }
    var reached = session.goals
    while reached != 0 {
      let goal = reached.trailingZeroBitCount
      if goal < partial.perGoal.count { partial.perGoal[goal] += 1 }
      reached &= reached - 1
    }
    partial.first = min(partial.first, session.start)
    partial.last = max(partial.last, session.end)
    partial.eventBuckets[SessionDistributions.eventBucket(Int(session.eventCount))] += 1
    SessionStats.count(
      session.channels, in: &partial.perDay[UTCDate.day(ms: session.start), default: emptyDay])
  }

  private let emptyDay = [Int](repeating: 0, count: 65)

  /// Adds one session on `channels` to a day's counts.
  private static func count(_ channels: UInt64, in day: inout [Int]) {
    day[64] += 1
    var channels = channels
    while channels != 0 {
      day[channels.trailingZeroBitCount] += 1
      channels &= channels - 1
    }
  }

  func extract(_ partial: consuming Partial) -> Result {
    Result(
      sessions: partial.durations.count, visitors: partial.visitors,
      users: partial.users.reduce(0) { $0 + $1.nonzeroBitCount }, events: partial.events,
      bounces: partial.bounces, durations: partial.durations, perChannel: partial.perChannel,
      perGoal: partial.perGoal, first: partial.first, last: partial.last,
      eventBuckets: partial.eventBuckets, perDay: partial.perDay)
  }
}
