/// The `distributions` section of `summary.json`: sessions by length, by duration and by
/// day and channel, what the report's histograms and timeline draw.
///
/// Buckets are fixed (the same for every run), so two summaries compare bucket by bucket.
/// A bucket's `max` is `null` when it has no upper end.
public struct SessionDistributions: Codable, Sendable, Equatable {
  /// One histogram bar: sessions with a value in `min...max`.
  public struct Bucket: Codable, Sendable, Equatable {
    public var min: Int64
    public var max: Int64?
    public var sessions: Int

    public init(min: Int64, max: Int64?, sessions: Int) {
      self.min = min
      self.max = max
      self.sessions = sessions
    }

    enum CodingKeys: String, CodingKey { case min, max, sessions }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(min, forKey: .min)
      if let max { try c.encode(max, forKey: .max) } else { try c.encodeNil(forKey: .max) }
      try c.encode(sessions, forKey: .sessions)
    }
  }

  /// Sessions starting on one UTC day, in all and per channel (a session on several
  /// channels counts once for each, as in `sessions_per_channel`).
  public struct Day: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var day: String
    public var sessions: Int
    public var channels: [String: Int]

    public init(day: String, sessions: Int, channels: [String: Int]) {
      self.day = day
      self.sessions = sessions
      self.channels = channels
    }
  }

  /// Sessions by events in the session.
  public var sessionEvents: [Bucket] = []
  /// Sessions by duration in whole seconds.
  public var sessionDurationS: [Bucket] = []
  /// Sessions per day of their start, in day order.
  public var sessionsPerDay: [Day] = []

  public init() {}

  enum CodingKeys: String, CodingKey {
    case sessionEvents = "session_events"
    case sessionDurationS = "session_duration_s"
    case sessionsPerDay = "sessions_per_day"
  }

  /// The lower ends of the event-count buckets (1, 2, 3, 4, 5, 6-10, 11-20, 21-50, 51+).
  static let eventBuckets: [Int64] = [1, 2, 3, 4, 5, 6, 11, 21, 51]
  /// The lower ends of the duration buckets in seconds (0, 1-9 s, 10-29 s, 30-59 s,
  /// 1-3 min, 3-10 min, 10-30 min, 30-60 min, 1 h+).
  static let durationBuckets: [Int64] = [0, 1, 10, 30, 60, 180, 600, 1800, 3600]

  /// The slot of a session with `events` events in ``eventBuckets``.
  static func eventBucket(_ events: Int) -> Int {
    bucket(Int64(events), in: eventBuckets)
  }

  /// The last bucket whose lower end is at or below `value` (the first for lower values).
  static func bucket(_ value: Int64, in lowerEnds: [Int64]) -> Int {
    var slot = 0
    while slot + 1 < lowerEnds.count && lowerEnds[slot + 1] <= value { slot += 1 }
    return slot
  }

  /// Buckets from counts per slot of `lowerEnds`.
  static func buckets(_ counts: [Int], lowerEnds: [Int64]) -> [Bucket] {
    lowerEnds.indices.map { slot in
      Bucket(
        min: lowerEnds[slot], max: slot + 1 < lowerEnds.count ? lowerEnds[slot + 1] - 1 : nil,
        sessions: counts[slot])
    }
  }

  /// The distributions of a run's session statistics, channels named from `channelName`.
  init(_ stats: SessionStats.Result, channelName: (Int) -> String?) {
    sessionEvents = Self.buckets(stats.eventBuckets, lowerEnds: Self.eventBuckets)
    var durations = [Int](repeating: 0, count: Self.durationBuckets.count)
    for (value, count) in stats.durations.ascending() {
      durations[Self.bucket(value, in: Self.durationBuckets)] += count
    }
    sessionDurationS = Self.buckets(durations, lowerEnds: Self.durationBuckets)
    sessionsPerDay = stats.perDay.keys.sorted().map { day in
      let counts = stats.perDay[day] ?? []
      var channels: [String: Int] = [:]
      for channel in 0..<min(64, counts.count) where counts[channel] > 0 {
        if let name = channelName(channel) { channels[name, default: 0] += counts[channel] }
      }
      let date = UTCDate.civil(day: day)
      return Day(
        day: Self.pad(date.year, 4) + "-" + Self.pad(date.month, 2) + "-" + Self.pad(date.day, 2),
        sessions: counts.count > 64 ? counts[64] : 0, channels: channels)
    }
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
