/// Path mining options: the `paths` section of a pipeline file.
///
/// Every key is optional; the defaults below apply to missing keys. Unknown keys are
/// rejected with their path. ``validate(path:)`` lists every out-of-range value.
///
/// ```json
/// "paths": {
///   "step_label": "auto", "collapse_repeats": true,
///   "group": [{"pattern": "^/product/[0-9]+$", "label": "/product/:id"}],
///   "exclude": ["^/health"],
///   "max_steps": 5, "min_support": 0.01,
///   "goal_paths": {"steps": 4, "top": 20},
///   "funnels": [{"name": "signup", "steps": ["/", "/pricing", "Signed Up"],
///                "within_seconds": 3600, "count": "sessions"}],
///   "transitions": {"min_count": 1, "top": 200},
///   "patterns": {"enabled": true, "min_support": 0.01, "min_length": 2, "max_length": 5,
///                "closed_only": false},
///   "summary_top": 10
/// }
/// ```
public struct PathsSpec: Codable, Sendable, Equatable {
  /// How a step is labelled.
  public enum StepLabel: String, Codable, Sendable, CaseIterable {
    /// `channel:name` when the run has more than one channel, else `name`.
    case auto
    /// The page path or event name alone, whatever the channels.
    case name
    /// Always `channel:name`.
    case channelName = "channel_name"
  }

  /// A support threshold: a whole number of sessions (>= 1), or a fraction `0 < f < 1` of
  /// all sessions meaning `ceil(f × sessions)`.
  public struct Support: Codable, Sendable, Equatable {
    /// The number as written in the pipeline file.
    public var value: Double

    /// A threshold from its written value.
    public init(_ value: Double) { self.value = value }

    public init(from decoder: any Decoder) throws {
      value = try decoder.singleValueContainer().decode(Double.self)
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      if value >= 1 && value == value.rounded() && value < 1e15 {
        try container.encode(Int(value))
      } else {
        try container.encode(value)
      }
    }

    /// The absolute number of sessions this threshold means for a run of `sessions`.
    public func threshold(sessions: Int) -> Int {
      value < 1 ? PrefixSpan.absoluteSupport(fraction: value, sequences: sessions) : Int(value)
    }

    /// A description of what is wrong with the value, or nil when it is valid.
    public var problem: String? {
      if value > 0 && value < 1 { return nil }
      if value >= 1 && value == value.rounded() && value < 1e15 { return nil }
      return "must be a whole number of sessions >= 1 or a fraction 0 < f < 1, got \(value)"
    }
  }

  /// A path-cleaning rule: a step whose name matches `pattern` is renamed `label`.
  public struct GroupRule: Codable, Sendable, Equatable {
    /// A regular expression (Swift `Regex` syntax), searched anywhere in the name; anchor
    /// it with `^…$` to match whole names.
    public var pattern: String
    /// The name every matching step gets (the whole name, not only the matched part).
    public var label: String

    /// A rule from its pattern and label.
    public init(pattern: String, label: String) {
      self.pattern = pattern
      self.label = label
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case pattern, label
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
      pattern = try c.decode(String.self, forKey: .pattern)
      label = try c.decode(String.self, forKey: .label)
    }
  }

  /// `goal_paths`: the routes into each goal.
  public struct GoalPaths: Codable, Sendable, Equatable {
    /// How many steps before the goal make its path. Default 4; 1...10.
    public var steps = 4
    /// Paths kept per goal, by conversions; the rest are summed into one `(other)` row.
    /// 0 keeps all. Default 20.
    public var top = 20

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
      case steps, top
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
      steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? steps
      top = try c.decodeIfPresent(Int.self, forKey: .top) ?? top
    }
  }

  /// One funnel: ordered steps, gaps allowed between them.
  public struct Funnel: Codable, Sendable, Equatable {
    /// What a funnel counts.
    public enum Count: String, Codable, Sendable, CaseIterable {
      /// Each session is tried on its own. The default.
      case sessions
      /// Each visitor's sessions are tried as one sequence, so a funnel may span sessions.
      case visitors
    }

    /// The funnel's name in `funnels.csv` and `summary.json`; unique.
    public var name: String
    /// Step labels as they appear in the outputs (after grouping, with `channel:` when steps
    /// are labelled by channel); 2...20 of them.
    public var steps: [String]
    /// When set, every step must come within this many seconds of the first one.
    /// Default: no limit.
    public var withinSeconds: Int?
    /// Sessions or visitors. Default `sessions`.
    public var count: Count = .sessions

    /// A funnel from its parts.
    public init(name: String, steps: [String], withinSeconds: Int? = nil, count: Count = .sessions)
    {
      self.name = name
      self.steps = steps
      self.withinSeconds = withinSeconds
      self.count = count
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case name, steps
      case withinSeconds = "within_seconds"
      case count
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
      name = try c.decode(String.self, forKey: .name)
      steps = try c.decode([String].self, forKey: .steps)
      withinSeconds = try c.decodeIfPresent(Int.self, forKey: .withinSeconds)
      count = try c.decodeIfPresent(Count.self, forKey: .count) ?? count
    }
  }

  /// `transitions`: the step-to-step edge table.
  public struct Transitions: Codable, Sendable, Equatable {
    /// Edges seen fewer times are summed into `(other)` rows. Default 1 (keep all); >= 1.
    public var minCount = 1
    /// At most this many edges are listed, by count; the rest go into `(other)` rows.
    /// 0 lists all. Default 200.
    public var top = 200

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
      case minCount = "min_count"
      case top
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
      minCount = try c.decodeIfPresent(Int.self, forKey: .minCount) ?? minCount
      top = try c.decodeIfPresent(Int.self, forKey: .top) ?? top
    }
  }

  /// `patterns`: frequent sequential patterns with gaps (PrefixSpan).
  public struct Patterns: Codable, Sendable, Equatable {
    /// Whether `patterns.csv` is mined. Default true.
    public var enabled = true
    /// Sessions a pattern must be contained in. Default 0.01 (1 % of sessions).
    public var minSupport = Support(0.01)
    /// Shorter patterns are not listed. Default 2; 1...max_length.
    public var minLength = 2
    /// Longer patterns are not mined. Default 5; 1...20.
    public var maxLength = 5
    /// List only closed patterns (no longer pattern has the same support). Default false.
    public var closedOnly = false

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
      case enabled
      case minSupport = "min_support"
      case minLength = "min_length"
      case maxLength = "max_length"
      case closedOnly = "closed_only"
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
      enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
      minSupport = try c.decodeIfPresent(Support.self, forKey: .minSupport) ?? minSupport
      minLength = try c.decodeIfPresent(Int.self, forKey: .minLength) ?? minLength
      maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength) ?? maxLength
      closedOnly = try c.decodeIfPresent(Bool.self, forKey: .closedOnly) ?? closedOnly
    }
  }

  /// How steps are labelled. Default `auto`.
  public var stepLabel: StepLabel = .auto
  /// Collapse consecutive repeats of a step into one. Default true.
  public var collapseRepeats = true
  /// Path-cleaning rules, tried in order on each distinct name; the first match wins.
  /// Default none.
  public var group: [GroupRule] = []
  /// Regular expressions; a step whose name matches any (before or after grouping) is
  /// dropped. Default none.
  public var exclude: [String] = []
  /// The longest micro-journey in `journeys.csv`, in steps. Default 5; 2...10.
  public var maxSteps = 5
  /// Sessions a micro-journey must appear in to be listed. Default 0.01 (1 % of sessions).
  public var minSupport = Support(0.01)
  /// Goal path options.
  public var goalPaths = GoalPaths()
  /// Funnels to measure. Default none.
  public var funnels: [Funnel] = []
  /// Transition table options.
  public var transitions = Transitions()
  /// Sequential pattern options.
  public var patterns = Patterns()
  /// Rows of each table copied into `summary.json`. Default 10; 0...1000.
  public var summaryTop = 10

  /// The defaults.
  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case stepLabel = "step_label"
    case collapseRepeats = "collapse_repeats"
    case group, exclude
    case maxSteps = "max_steps"
    case minSupport = "min_support"
    case goalPaths = "goal_paths"
    case funnels, transitions, patterns
    case summaryTop = "summary_top"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    stepLabel = try c.decodeIfPresent(StepLabel.self, forKey: .stepLabel) ?? stepLabel
    collapseRepeats = try c.decodeIfPresent(Bool.self, forKey: .collapseRepeats) ?? collapseRepeats
    group = try c.decodeIfPresent([GroupRule].self, forKey: .group) ?? group
    exclude = try c.decodeIfPresent([String].self, forKey: .exclude) ?? exclude
    maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps) ?? maxSteps
    minSupport = try c.decodeIfPresent(Support.self, forKey: .minSupport) ?? minSupport
    goalPaths = try c.decodeIfPresent(GoalPaths.self, forKey: .goalPaths) ?? goalPaths
    funnels = try c.decodeIfPresent([Funnel].self, forKey: .funnels) ?? funnels
    transitions = try c.decodeIfPresent(Transitions.self, forKey: .transitions) ?? transitions
    patterns = try c.decodeIfPresent(Patterns.self, forKey: .patterns) ?? patterns
    summaryTop = try c.decodeIfPresent(Int.self, forKey: .summaryTop) ?? summaryTop
  }

  /// Every problem with the options, as `path.key: what is wrong` lines; empty when valid.
  ///
  /// `path` is the dotted path of this section in the pipeline file (usually `paths`).
  public func validate(path: String) -> [String] {
    var problems: [String] = []
    func check(_ key: String, _ value: Int, _ range: ClosedRange<Int>) {
      if !range.contains(value) {
        problems.append(
          "\(path).\(key): must be \(range.lowerBound)...\(range.upperBound), got \(value)")
      }
    }
    func checkRegex(_ key: String, _ pattern: String) {
      do {
        _ = try Regex(pattern)
      } catch {
        problems.append("\(path).\(key): invalid regular expression \"\(pattern)\": \(error)")
      }
    }
    for (index, rule) in group.enumerated() {
      checkRegex("group[\(index)].pattern", rule.pattern)
      if rule.label.isEmpty { problems.append("\(path).group[\(index)].label: must not be empty") }
    }
    for (index, pattern) in exclude.enumerated() { checkRegex("exclude[\(index)]", pattern) }
    check("max_steps", maxSteps, 2...10)
    if let problem = minSupport.problem { problems.append("\(path).min_support: \(problem)") }
    check("goal_paths.steps", goalPaths.steps, 1...10)
    check("goal_paths.top", goalPaths.top, 0...1_000_000)
    var names: Set<String> = []
    for (index, funnel) in funnels.enumerated() {
      let key = "funnels[\(index)]"
      if funnel.name.isEmpty { problems.append("\(path).\(key).name: must not be empty") }
      if !names.insert(funnel.name).inserted {
        problems.append("\(path).\(key).name: duplicate funnel name \"\(funnel.name)\"")
      }
      if !(2...20).contains(funnel.steps.count) {
        problems.append("\(path).\(key).steps: must have 2...20 steps, got \(funnel.steps.count)")
      }
      for (stepIndex, step) in funnel.steps.enumerated() where step.isEmpty {
        problems.append("\(path).\(key).steps[\(stepIndex)]: must not be empty")
      }
      if let within = funnel.withinSeconds, within < 1 {
        problems.append("\(path).\(key).within_seconds: must be >= 1, got \(within)")
      }
    }
    if transitions.minCount < 1 {
      problems.append("\(path).transitions.min_count: must be >= 1, got \(transitions.minCount)")
    }
    check("transitions.top", transitions.top, 0...1_000_000)
    if let problem = patterns.minSupport.problem {
      problems.append("\(path).patterns.min_support: \(problem)")
    }
    check("patterns.max_length", patterns.maxLength, 1...20)
    check("patterns.min_length", patterns.minLength, 1...max(1, patterns.maxLength))
    check("summary_top", summaryTop, 0...1000)
    return problems
  }
}
