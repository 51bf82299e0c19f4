/// One customer's activity on one UTC day.
public struct DayActivity: Sendable, Equatable {
  /// UTC day number (`ms / 86_400_000`; day 0 is 1970-01-01).
  public var day: Int64
  /// Sessions that started on the day.
  public var sessions: Int
  /// Events in those sessions.
  public var events: Int

  public init(day: Int64, sessions: Int, events: Int) {
    self.day = day
    self.sessions = sessions
    self.events = events
  }
}

/// Churn-signal hits (touchpoint events or path sessions) of one signal on one day.
public struct SignalDay: Sendable, Equatable {
  public var day: Int64
  /// Index into ``CustomerState/signalNames``.
  public var signal: Int
  public var count: Int

  public init(day: Int64, signal: Int, count: Int) {
    self.day = day
    self.signal = signal
    self.count = count
  }
}

/// The durable history of one customer (a user id seen in a session).
public struct CustomerHistory: Sendable, Equatable {
  public var userId: String
  /// Start of the first session and end of the last one, ms since the epoch (UTC).
  public var firstSeen: Int64
  public var lastSeen: Int64
  /// Lifetime count of distinct UTC days with a session (the BG/NBD "transactions").
  public var activeDays: Int
  /// Lifetime sessions and events.
  public var sessions: Int
  public var events: Int
  /// Daily counts inside the window, sorted by day; days without sessions are absent.
  public var days: [DayActivity]
  /// Lifetime sessions reaching each goal, indexed like ``CustomerState/goalNames``
  /// (missing trailing entries are 0).
  public var goals: [Int]
  /// Lifetime hits of each churn signal, indexed like ``CustomerState/signalNames``.
  public var signals: [Int]
  /// Signal hits per day inside the window, sorted by (day, signal).
  public var signalDays: [SignalDay]

  public init(userId: String, firstSeen: Int64, lastSeen: Int64) {
    self.userId = userId
    self.firstSeen = firstSeen
    self.lastSeen = lastSeen
    activeDays = 0
    sessions = 0
    events = 0
    days = []
    goals = []
    signals = []
    signalDays = []
  }

  /// The UTC day of the first session.
  public var firstDay: Int64 { UTCDate.day(ms: firstSeen) }
  /// The UTC day of the last activity.
  public var lastDay: Int64 { UTCDate.day(ms: lastSeen) }
}

/// The per-customer history kept between nightly runs in `--state DIR`.
///
/// Each run folds its sessions in (``fold(_:inputs:spec:now:carriedWereFolded:)``) and the whole state is
/// replaced atomically (``save(to:)``). The on-disk format is described in
/// `docs/state-format.md`: a `CURRENT` file names the live generation folder, which holds
/// `state.json` (schema version, window, last run, folded input fingerprints) and
/// `customers.tsv` (one line per customer with `day:sessions:events` lists).
public struct CustomerState: Sendable {
  /// The version of the on-disk format this code reads and writes.
  public static let schemaVersion = 1

  /// Customers in first-seen order of this process; files are written sorted by user id.
  public internal(set) var customers: [CustomerHistory] = []
  var index: [String: Int] = [:]
  /// Goal names that goal counts refer to (from the pipeline's `goals`, in first-use order).
  public internal(set) var goalNames: [String] = []
  /// Churn touchpoint and path names that signal counts refer to.
  public internal(set) var signalNames: [String] = []
  /// Every input folded so far, with the time of the run that folded it.
  public internal(set) var folded: [FoldedInput] = []
  /// Days of daily history kept (the spec's `window_days` at the last fold).
  public internal(set) var windowDays = 90
  /// The `now` of the latest fold, ms since the epoch; nil before the first.
  public internal(set) var lastRun: Int64?
  /// The generation this state was loaded from (0 when new).
  public internal(set) var generation = 0
  /// Opaque bytes owned by the sessioniser: the open session tails of the previous batch,
  /// carried to the next night. Saved and replaced atomically with the rest of the state
  /// (`session_tails.tsv`); empty when unused. The churn stage never reads it.
  public var sessionTails: [UInt8] = []
  /// Opaque bytes owned by identity stitching: the ``IdentityTable`` of nightly runs with
  /// `identity: stitched` (`identities.tsv`); empty when unused.
  public var identities: [UInt8] = []

  /// An empty state.
  public init() {}

  /// The customer with `userId`, if known.
  public func customer(_ userId: String) -> CustomerHistory? {
    index[userId].map { customers[$0] }
  }

  /// An input folded into the state.
  public struct FoldedInput: Sendable, Equatable {
    public var input: InputFingerprint
    /// The `now` of the run that folded it, ms since the epoch.
    public var foldedAt: Int64
  }
}
