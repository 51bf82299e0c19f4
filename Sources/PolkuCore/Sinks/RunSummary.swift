/// `summary.json`: what the run found. Keys are stable and documented in the README;
/// `schema_version` changes when a key is renamed or removed.
///
/// The summary is a pure function of the inputs and the pipeline (byte-identical for any
/// thread count); when the run happened and how long it took are in `manifest.json`.
public struct RunSummary: Encodable, Sendable, Equatable {
  public struct Events: Codable, Sendable, Equatable {
    /// Lines read, including headers and blank lines.
    public var read: Int
    /// Events that parsed and passed the filters (before duplicates were removed).
    public var accepted: Int
    public var duplicates: Int
    /// Identify calls: used for stitching, not session events.
    public var identify: Int
    /// Events dropped by filters, by filter.
    public var filtered: [String: Int]
    /// Rejected lines by reason code.
    public var rejected: [String: Int]
    public var rejectedTotal: Int
    /// Lines without an event (CSV header rows, blank lines).
    public var skipped: Int
    /// Events that became part of a session.
    public var sessionized: Int
    /// Events of last night's open sessions carried in from `--state`.
    public var carried: Int = 0
    /// With `--state`: events of the sessions held for the next night (not in
    /// `sessionized`); absent without `--state`.
    public var held: Int?
    /// With `--state`: events of held sessions over the 5000 a state carries per session
    /// (the earliest), so the session is published without them; absent without `--state`.
    public var heldDropped: Int?

    enum CodingKeys: String, CodingKey {
      case read, accepted, duplicates, identify, filtered, rejected, skipped, sessionized
      case carried, held
      case heldDropped = "held_dropped"
      case rejectedTotal = "rejected_total"
    }
  }

  public struct Identity: Codable, Sendable, Equatable {
    public var mode: String
    public var stitchedAnonymousIds: Int
    public var anonymousIdsWithSeveralUsers: Int
    public var junkIds: Int
    /// With `identity: stitched` and `--state`: anonymous ids first identified tonight,
    /// and the sessions earlier nights published under them (which a single run over the
    /// same files would key by the user; `identities.csv` maps them). Absent otherwise.
    public var identifiedTonight: Int?
    public var earlierSessionsOfIdentified: Int?

    enum CodingKeys: String, CodingKey {
      case identifiedTonight = "identified_tonight"
      case earlierSessionsOfIdentified = "earlier_sessions_of_identified"
      case mode
      case stitchedAnonymousIds = "stitched_anonymous_ids"
      case anonymousIdsWithSeveralUsers = "anonymous_ids_with_several_users"
      case junkIds = "junk_ids"
    }
  }

  public struct Durations: Codable, Sendable, Equatable {
    public var median: Int64
    public var p90: Int64
    public var mean: Double
  }

  public var schemaVersion = 1
  public var pipeline: String
  public var inputs: Int
  public var inputsDamaged: Int
  public var events: Events
  public var firstEvent: String?
  public var lastEvent: String?
  public var visitors: Int
  public var users: Int
  public var sessions: Int
  /// With `--state`: sessions still open at the night's cut, held in the state and
  /// published by the night in which they close (not in `sessions`); absent without it.
  public var sessionsHeld: Int?
  public var identity: Identity
  public var sessionDurationS: Durations
  public var bounceRate: Double
  public var sessionsPerChannel: [String: Int]
  public var goals: [String: Int]
  public var badRowRatio: Double
  public var churn: ChurnSummary?
  public var paths: PathSummary?
  /// Sessions by length, duration and day (the report's histograms).
  public var distributions = SessionDistributions()

  enum CodingKeys: String, CodingKey {
    case schemaVersion = "schema_version"
    case pipeline, inputs
    case inputsDamaged = "inputs_damaged"
    case events
    case firstEvent = "first_event"
    case lastEvent = "last_event"
    case visitors, users, sessions, identity
    case sessionsHeld = "sessions_held"
    case sessionDurationS = "session_duration_s"
    case bounceRate = "bounce_rate"
    case sessionsPerChannel = "sessions_per_channel"
    case goals
    case badRowRatio = "bad_row_ratio"
    case churn, paths, distributions
  }
}

extension RunSummary {
  /// Rounds to 6 decimals so the JSON stays short and stable.
  static func round6(_ value: Double) -> Double {
    (value * 1_000_000).rounded() / 1_000_000
  }
}
