/// The path tables as values: the rows of `journeys.csv`, `goal_paths.csv`, `funnels.csv`,
/// `transitions.csv` and `patterns.csv`, in their final order.
///
/// Steps are their labels (`(start)`, `(exit)` and `(other)` written out), shares and rates
/// are unrounded ratios (0 when the denominator is 0), and times are medians in seconds
/// (nil when there was nothing to take a median of). ``PathMiner`` documents what each
/// table counts; ``PathTablesCSV`` turns the tables into files.
public struct PathTables: Sendable, Equatable {
  /// The goal slots of ``Journey/goals``: the pipeline's goals (the first 64), then
  /// `first_identified`.
  public var goalNames: [String]
  /// Micro-journeys: by support (descending), length, then steps by label.
  public var journeys: [Journey] = []
  /// Per goal (in ``goalNames`` order), the listed paths into it, then its `(other)` row.
  public var goalPaths: [GoalPath] = []
  /// Per funnel (in pipeline order), one row per step.
  public var funnels: [FunnelStep] = []
  /// The listed step-to-step edges, then the `(other)` edges that sum the cut ones.
  public var transitions: [Transition] = []
  /// Sequential patterns, sorted like ``journeys`` (empty when patterns are disabled).
  public var patterns: [Pattern] = []

  /// Empty tables for the given goal slots.
  public init(goalNames: [String]) {
    self.goalNames = goalNames
  }

  /// One micro-journey: a contiguous run of steps.
  public struct Journey: Sendable, Equatable {
    public var steps: [String]
    /// Sessions containing the journey.
    public var support: Int
    /// Times it occurs, counting every occurrence in every session.
    public var occurrences: Int
    /// `support / sessions`.
    public var share: Double
    /// Per goal slot, the supporting sessions that reach the goal.
    public var goals: [GoalReach]
    /// Median time from the first to the last step of the journey's first occurrence.
    public var medianSeconds: Double?
  }

  /// How many of a journey's sessions reach one goal.
  public struct GoalReach: Sendable, Equatable {
    public var conversions: Int
    /// `conversions / support`.
    public var rate: Double
  }

  /// One route into a goal, or the `(other)` row that sums the routes not listed.
  public struct GoalPath: Sendable, Equatable {
    public var goal: String
    /// The last steps before the goal, `(start)` first when the path reaches back to the
    /// session start; nil on the `(other)` row.
    public var path: [String]?
    /// Steps in ``path``, `(start)` not counted (0 on the `(other)` row).
    public var steps: Int
    public var conversions: Int
    /// `conversions /` the goal's conversions.
    public var share: Double
    /// Median time from the session start to the goal event.
    public var medianSecondsToGoal: Double?
  }

  /// One step of a funnel.
  public struct FunnelStep: Sendable, Equatable {
    public var funnel: String
    /// `sessions` or `visitors`.
    public var count: String
    /// The step's position, from 1.
    public var index: Int
    /// The step's label as configured.
    public var step: String
    public var reached: Int
    /// Reached the previous step but not this one.
    public var dropped: Int
    public var conversionFromStart: Double
    public var conversionFromPrevious: Double
    /// Nil on the first step.
    public var medianSecondsFromPrevious: Double?
  }

  /// One step-to-step edge.
  public struct Transition: Sendable, Equatable {
    public var source: String
    public var target: String
    public var count: Int
    /// `count /` every transition made.
    public var share: Double
  }

  /// One sequential pattern (steps in order, gaps allowed).
  public struct Pattern: Sendable, Equatable {
    public var steps: [String]
    /// Sessions containing the pattern.
    public var support: Int
    /// `support / sessions`.
    public var share: Double
  }
}
