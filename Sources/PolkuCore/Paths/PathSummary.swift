/// The `paths` section of `summary.json`: totals and the top rows of each table.
///
/// Keys are snake_case (the run's encoder sorts them); shares and rates are rounded to
/// four decimals and times to tenths of a second, so the JSON is byte-stable. Medians
/// with nothing to take a median of are written as `null`, not left out
/// (``ExplicitNull``).
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

  /// One micro-journey.
  public struct Journey: Encodable, Sendable, Equatable {
    public var steps: [String]
    public var support: Int
    public var share: Double
    @ExplicitNull public var medianSeconds: Double?

    enum CodingKeys: String, CodingKey {
      case steps, support, share
      case medianSeconds = "median_seconds"
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
  }

  /// One route into a goal.
  public struct GoalPath: Encodable, Sendable, Equatable {
    public var path: [String]
    public var conversions: Int
    /// Share of the goal's conversions.
    public var share: Double
    @ExplicitNull public var medianSecondsToGoal: Double?

    enum CodingKeys: String, CodingKey {
      case path, conversions, share
      case medianSecondsToGoal = "median_seconds_to_goal"
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
  }

  /// One funnel step.
  public struct FunnelStep: Encodable, Sendable, Equatable {
    public var step: String
    public var reached: Int
    public var conversionFromStart: Double
    @ExplicitNull public var medianSecondsFromPrevious: Double?

    enum CodingKeys: String, CodingKey {
      case step, reached
      case conversionFromStart = "conversion_from_start"
      case medianSecondsFromPrevious = "median_seconds_from_previous"
    }
  }
}
