/// The parts of `summary.json` the report shows, read back from the published file.
///
/// Every key is optional: a summary written by an older polku (or a run without churn
/// or paths) still gives a report, with the missing parts left out.
struct ReportSummary: Decodable, Sendable {
  struct Events: Decodable, Sendable {
    var read = 0
    var accepted = 0
    var duplicates = 0
    var identify = 0
    var filtered: [String: Int] = [:]
    var rejected: [String: Int] = [:]
    var rejectedTotal = 0
    var skipped = 0
    var sessionized = 0
    var carried = 0

    enum CodingKeys: String, CodingKey {
      case read, accepted, duplicates, identify, filtered, rejected, skipped, sessionized
      case carried
      case rejectedTotal = "rejected_total"
    }

    init() {}

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      read = try c.decodeIfPresent(Int.self, forKey: .read) ?? 0
      accepted = try c.decodeIfPresent(Int.self, forKey: .accepted) ?? 0
      duplicates = try c.decodeIfPresent(Int.self, forKey: .duplicates) ?? 0
      identify = try c.decodeIfPresent(Int.self, forKey: .identify) ?? 0
      filtered = try c.decodeIfPresent([String: Int].self, forKey: .filtered) ?? [:]
      rejected = try c.decodeIfPresent([String: Int].self, forKey: .rejected) ?? [:]
      rejectedTotal = try c.decodeIfPresent(Int.self, forKey: .rejectedTotal) ?? 0
      skipped = try c.decodeIfPresent(Int.self, forKey: .skipped) ?? 0
      sessionized = try c.decodeIfPresent(Int.self, forKey: .sessionized) ?? 0
      carried = try c.decodeIfPresent(Int.self, forKey: .carried) ?? 0
    }
  }

  struct Churn: Decodable, Sendable {
    struct Bands: Decodable, Sendable {
      var high = 0
      var medium = 0
      var low = 0
    }

    struct Model: Decodable, Sendable {
      var r: Double
      var alpha: Double
      var a: Double
      var b: Double
      var logLikelihood: Double
      var customersFitted: Int
      var converged: Bool

      enum CodingKeys: String, CodingKey {
        case r, alpha, a, b, converged
        case logLikelihood = "log_likelihood"
        case customersFitted = "customers_fitted"
      }
    }

    var now: String?
    var customers = 0
    var bands = Bands()
    var model: Model?
    var scoreHistogram: [Int]?

    enum CodingKeys: String, CodingKey {
      case now, customers, bands, model
      case scoreHistogram = "score_histogram"
    }
  }

  struct Funnel: Decodable, Sendable {
    var name: String
    var count: String
    var entered: Int
    var completed: Int
    var conversion: Double
  }

  struct Goal: Decodable, Sendable {
    var goal: String
    var conversions: Int
    var rate: Double
  }

  struct Paths: Decodable, Sendable {
    var sessions = 0
    var sessionsWithSteps = 0
    var distinctSteps = 0
    var journeyCount = 0
    var goals: [Goal] = []
    var funnels: [Funnel] = []

    enum CodingKeys: String, CodingKey {
      case sessions, goals, funnels
      case sessionsWithSteps = "sessions_with_steps"
      case distinctSteps = "distinct_steps"
      case journeyCount = "journey_count"
    }
  }

  struct Identity: Decodable, Sendable {
    var mode = ""
    var stitchedAnonymousIds = 0
    var anonymousIdsWithSeveralUsers = 0
    var junkIds = 0

    enum CodingKeys: String, CodingKey {
      case mode
      case stitchedAnonymousIds = "stitched_anonymous_ids"
      case anonymousIdsWithSeveralUsers = "anonymous_ids_with_several_users"
      case junkIds = "junk_ids"
    }
  }

  struct Durations: Decodable, Sendable {
    var median: Int64 = 0
    var p90: Int64 = 0
    var mean: Double = 0
  }

  var pipeline = ""
  var inputs = 0
  var inputsDamaged = 0
  var events = Events()
  var firstEvent: String?
  var lastEvent: String?
  var visitors = 0
  var users = 0
  var sessions = 0
  var identity = Identity()
  var sessionDurationS = Durations()
  var bounceRate: Double = 0
  var sessionsPerChannel: [String: Int] = [:]
  var goals: [String: Int] = [:]
  var badRowRatio: Double = 0
  var churn: Churn?
  var paths: Paths?
  var distributions: SessionDistributions?

  enum CodingKeys: String, CodingKey {
    case pipeline, inputs, events, visitors, users, sessions, identity, goals, churn, paths
    case distributions
    case inputsDamaged = "inputs_damaged"
    case firstEvent = "first_event"
    case lastEvent = "last_event"
    case sessionDurationS = "session_duration_s"
    case bounceRate = "bounce_rate"
    case sessionsPerChannel = "sessions_per_channel"
    case badRowRatio = "bad_row_ratio"
  }

  init() {}

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    pipeline = try c.decodeIfPresent(String.self, forKey: .pipeline) ?? ""
    inputs = try c.decodeIfPresent(Int.self, forKey: .inputs) ?? 0
    inputsDamaged = try c.decodeIfPresent(Int.self, forKey: .inputsDamaged) ?? 0
    events = try c.decodeIfPresent(Events.self, forKey: .events) ?? Events()
    firstEvent = try c.decodeIfPresent(String.self, forKey: .firstEvent)
    lastEvent = try c.decodeIfPresent(String.self, forKey: .lastEvent)
    visitors = try c.decodeIfPresent(Int.self, forKey: .visitors) ?? 0
    users = try c.decodeIfPresent(Int.self, forKey: .users) ?? 0
    sessions = try c.decodeIfPresent(Int.self, forKey: .sessions) ?? 0
    identity = try c.decodeIfPresent(Identity.self, forKey: .identity) ?? Identity()
    sessionDurationS =
      try c.decodeIfPresent(Durations.self, forKey: .sessionDurationS) ?? Durations()
    bounceRate = try c.decodeIfPresent(Double.self, forKey: .bounceRate) ?? 0
    sessionsPerChannel =
      try c.decodeIfPresent([String: Int].self, forKey: .sessionsPerChannel) ?? [:]
    goals = try c.decodeIfPresent([String: Int].self, forKey: .goals) ?? [:]
    badRowRatio = try c.decodeIfPresent(Double.self, forKey: .badRowRatio) ?? 0
    churn = try c.decodeIfPresent(Churn.self, forKey: .churn)
    paths = try c.decodeIfPresent(Paths.self, forKey: .paths)
    distributions = try c.decodeIfPresent(SessionDistributions.self, forKey: .distributions)
  }
}
