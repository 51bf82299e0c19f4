/// The `paths` section of `summary.json`: totals and the top rows of each table.
///
/// Keys are snake_case and encoded in declaration order; shares and rates are rounded to
/// four decimals and times to tenths of a second, so the JSON is byte-stable.
public struct PathSummary: Encodable, Sendable, Equatable {
  /// All sessions, with or without steps.
  public var sessions = 0
  /// Sessions with at least one step.
  public var sessionsWithSteps = 0
  /// Distinct steps seen.
  public var distinctSteps = 0
  /// `name` or `channel_name`: how steps were labelled.
  public var stepLabel = "name"
  /// The absolute support threshold `journeys.csv` used.
  public var journeyMinSupport = 0
  /// Rows in `journeys.csv`.
  public var journeyCount = 0
  /// The first rows of `journeys.csv`.
  public var topJourneys: [Journey] = []
  /// Each goal (pipeline goals, then `first_identified`) with its top paths.
  public var goals: [Goal] = []
  /// Each funnel's results.
  public var funnels: [Funnel] = []
  /// The absolute support threshold `patterns.csv` used (0 when patterns are disabled).
  public var patternMinSupport = 0
  /// Rows in `patterns.csv`.
  public var patternCount = 0

  /// An empty summary.
  public init() {}

  enum CodingKeys: String, CodingKey {
    case sessions
    case sessionsWithSteps = "sessions_with_steps"
    case distinctSteps = "distinct_steps"
    case stepLabel = "step_label"
    case journeyMinSupport = "journey_min_support"
    case journeyCount = "journey_count"
    case topJourneys = "top_journeys"
    case goals, funnels
    case patternMinSupport = "pattern_min_support"
    case patternCount = "pattern_count"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(sessions, forKey: .sessions)
    try c.encode(sessionsWithSteps, forKey: .sessionsWithSteps)
    try c.encode(distinctSteps, forKey: .distinctSteps)
    try c.encode(stepLabel, forKey: .stepLabel)
    try c.encode(journeyMinSupport, forKey: .journeyMinSupport)
    try c.encode(journeyCount, forKey: .journeyCount)
    try c.encode(topJourneys, forKey: .topJourneys)
    try c.encode(goals, forKey: .goals)
    try c.encode(funnels, forKey: .funnels)
    try c.encode(patternMinSupport, forKey: .patternMinSupport)
    try c.encode(patternCount, forKey: .patternCount)
  }

  /// One micro-journey.
  public struct Journey: Encodable, Sendable, Equatable {
    public var steps: [String]
    public var support: Int
    public var share: Double
    public var medianSeconds: Double?

    enum CodingKeys: String, CodingKey {
      case steps, support, share
      case medianSeconds = "median_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(steps, forKey: .steps)
      try c.encode(support, forKey: .support)
      try c.encode(share, forKey: .share)
      try c.encode(medianSeconds, forKey: .medianSeconds)
    }
  }

  /// One goal and the routes into it.
  public struct Goal: Encodable, Sendable, Equatable {
    public var goal: String
    /// Sessions reaching the goal.
    public var conversions: Int
    /// `conversions / sessions`.
    public var rate: Double
    public var topPaths: [GoalPath]

    enum CodingKeys: String, CodingKey {
      case goal, conversions, rate
      case topPaths = "top_paths"
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(goal, forKey: .goal)
      try c.encode(conversions, forKey: .conversions)
      try c.encode(rate, forKey: .rate)
      try c.encode(topPaths, forKey: .topPaths)
    }
  }

  /// One route into a goal.
  public struct GoalPath: Encodable, Sendable, Equatable {
    public var path: [String]
    public var conversions: Int
    /// Share of the goal's conversions.
    public var share: Double
    public var medianSecondsToGoal: Double?

    enum CodingKeys: String, CodingKey {
      case path, conversions, share
      case medianSecondsToGoal = "median_seconds_to_goal"
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(path, forKey: .path)
      try c.encode(conversions, forKey: .conversions)
      try c.encode(share, forKey: .share)
      try c.encode(medianSecondsToGoal, forKey: .medianSecondsToGoal)
    }
  }

  /// One funnel's results.
  public struct Funnel: Encodable, Sendable, Equatable {
    public var name: String
    /// `sessions` or `visitors`.
    public var count: String
    public var entered: Int
    public var completed: Int
    /// `completed / entered` (0 when none entered).
    public var conversion: Double
    public var steps: [FunnelStep]

    enum CodingKeys: String, CodingKey {
      case name, count, entered, completed, conversion, steps
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(name, forKey: .name)
      try c.encode(count, forKey: .count)
      try c.encode(entered, forKey: .entered)
      try c.encode(completed, forKey: .completed)
      try c.encode(conversion, forKey: .conversion)
      try c.encode(steps, forKey: .steps)
    }
  }

  /// One funnel step.
  public struct FunnelStep: Encodable, Sendable, Equatable {
    public var step: String
    public var reached: Int
    public var conversionFromStart: Double
    public var medianSecondsFromPrevious: Double?

    enum CodingKeys: String, CodingKey {
      case step, reached
      case conversionFromStart = "conversion_from_start"
      case medianSecondsFromPrevious = "median_seconds_from_previous"
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(step, forKey: .step)
      try c.encode(reached, forKey: .reached)
      try c.encode(conversionFromStart, forKey: .conversionFromStart)
      try c.encode(medianSecondsFromPrevious, forKey: .medianSecondsFromPrevious)
    }
  }
}
