/// Session facts of one keying mode, known by construction.
public struct SessionTally: Sendable, Equatable {
  /// Sessions (a new one when the gap to the key's previous event is > 1800 s).
  public var sessions = 0
  /// Accepted events in those sessions.
  public var events = 0
  /// Of those, identify calls (no step of their own).
  public var identifyEvents = 0
  /// Distinct session keys.
  public var keys = 0
  /// Sessions containing at least one event of each goal, in ``Goal`` order.
  public var goalSessions = [Int](repeating: 0, count: Goal.allCases.count)

  public init() {}
}

/// The answers polku must reproduce for a generated data set, by construction.
///
/// Rules (also written to `expected.json` as `rules`):
/// - Records are malformed, duplicates (same message id as an earlier record; the first
///   is kept), bots (user agent contains `Googlebot` or `bingbot`), static assets
///   (`/static/…`, `/favicon.ico`, `*.css`, `*.png`), or accepted. Only accepted
///   records enter identity stitching and sessionising.
/// - Device identity: the key is the anonymous id when present and not junk, else the
///   user id; access logs key on the `vid` cookie; the touchpoints CSV keys on `user_id`.
/// - Junk user ids (`""`, `"null"`, `"undefined"`, `"anonymous"`, `"0"`) count as absent.
/// - Stitched identity: an anonymous id seen on an event with a user id maps to that
///   user; seen with several users, to the user of its latest such event. An event keys
///   on its user id, else its anonymous id's user, else its anonymous id.
/// - Sessions: per key in time order, a new session when the gap to the previous event is
///   > 1800 s; exactly 1800 s stays in the session.
public struct ExpectedAnswers: Sendable, Equatable {
  public var spec: GeneratorSpec
  /// Counts per written file, by path relative to the output directory.
  public var files: [(path: String, counts: LineCounts)] = []
  /// Counts per format name (`jsonl`, `access`, `csv`).
  public var formats: [(name: String, counts: LineCounts)] = []
  /// Distinct visitors per format: anonymous ids (jsonl), vid cookies (access), user ids (csv).
  public var distinctVisitors: [String: Int] = [:]
  /// Distinct non-junk user ids of accepted records per format.
  public var distinctUsers: [String: Int] = [:]
  /// Distinct bot visitors per format.
  public var botVisitors: [String: Int] = [:]
  /// Sessions per keying mode: `jsonl_device`, `jsonl_stitched`, `access_cookie`,
  /// `csv_user`, `jsonl_csv_stitched` (modes of formats not generated are absent).
  public var modes: [(name: String, tally: SessionTally)] = []
  /// Counts of the deliberate edge cases.
  public var edgeCases: [(name: String, count: Int)] = []
  /// People simulated (bots not included).
  public var people = 0
  /// Registered people (existing customers and sign-ups).
  public var registeredPeople = 0

  public init(spec: GeneratorSpec) {
    self.spec = spec
  }

  /// The total over all formats.
  public var total: LineCounts {
    var total = LineCounts()
    for format in formats { total.add(format.counts) }
    return total
  }

  /// The tally of a mode by name.
  public func mode(_ name: String) -> SessionTally? {
    modes.first { $0.name == name }?.tally
  }

  public static func == (lhs: ExpectedAnswers, rhs: ExpectedAnswers) -> Bool {
    lhs.json == rhs.json
  }

  /// The rules, as written to `expected.json`.
  public static let rules: [String] = [
    "records: each record is exactly one of malformed, duplicate, bot, asset, accepted; lines counts physical lines (CSV headers and quoted newlines included), records counts records (CSV header excluded)",
    "malformed: invalid_json (not a JSON object, e.g. truncated), missing_timestamp (no timestamp key / empty CSV field), invalid_timestamp (unparseable), invalid_csv (wrong field count), invalid_access_log (not NCSA combined)",
    "duplicates: a record whose message id was seen before (same bytes re-sent into another file); keep the first",
    "bots: user agent contains Googlebot or bingbot; assets: the path without its query starts with /static/, is /favicon.ico, or ends in .css or .png; bots, assets, duplicates and malformed records are dropped before stitching and sessionising",
    "junk user ids (\"\", \"null\", \"undefined\", \"anonymous\", \"0\") count as absent",
    "device identity: key = anonymousId when present and not junk, else userId; access logs: key = the vid cookie; touchpoints CSV: key = user_id",
    "stitched identity: an anonymousId seen on an accepted event with a user id maps to that user; seen with several users, to the user of its latest such event (by timestamp); an event keys on its userId, else the user its anonymousId maps to, else its anonymousId",
    "sessions: per key, events in time order, a new session when the gap to the previous event is > 1800 s (exactly 1800 s stays in the session); identify events count as events",
    "access logs have whole-second times: sessions are computed on them as written",
    "goal_sessions: sessions containing at least one track event of that name",
  ]
}
