/// Churn options (the `churn` section of a pipeline file).
///
/// ```json
/// "churn": {
///   "window_days": 90, "recent_days": 14, "baseline_days": 28, "decline_threshold": 0.5,
///   "touchpoints": [
///     {"name": "cancel_page", "page": "/account/cancel"},
///     {"name": "payment_failed", "event": "Payment Failed"},
///     {"name": "complaint_call", "channel": "call_center", "event": "Complaint"}
///   ],
///   "paths": [{"name": "cancel_journey", "steps": ["/account", "/account/billing", "/account/cancel"]}],
///   "weights": {"decline": 0.35, "recency": 0.2, "p_alive": 0.2, "touchpoints": 0.15, "paths": 0.1},
///   "bands": {"high": 0.7, "medium": 0.4}
/// }
/// ```
/// Every key is optional; the values above (without touchpoints and paths) are the defaults.
public struct ChurnSpec: Codable, Sendable, Equatable {
  /// A churn touchpoint: an event that counts as a churn signal when a customer has it.
  ///
  /// `page` matches page views by normalised path; `event` matches track events and
  /// contacts by name; `channel` restricts the match to one channel (with neither `page`
  /// nor `event`, every event on that channel matches). `page` and `event` exclude each other.
  public struct Touchpoint: Codable, Sendable, Equatable {
    public var name: String
    public var page: String?
    public var event: String?
    public var channel: String?

    public init(name: String, page: String? = nil, event: String? = nil, channel: String? = nil) {
      self.name = name
      self.page = page
      self.event = event
      self.channel = channel
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, page, event, channel }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
      name = try c.decode(String.self, forKey: .name)
      page = try c.decodeIfPresent(String.self, forKey: .page)
      event = try c.decodeIfPresent(String.self, forKey: .event)
      channel = try c.decodeIfPresent(String.self, forKey: .channel)
    }
  }

  /// A churn path: a micro-journey of contiguous steps inside one session.
  ///
  /// A step matches an event whose normalised page path or event name equals it; identify
  /// events are skipped and immediate repeats of one step (reloads) count once. A session
  /// that contains the steps one after the other is a hit (at most one hit per session).
  public struct Path: Codable, Sendable, Equatable {
    public var name: String
    public var steps: [String]

    public init(name: String, steps: [String]) {
      self.name = name
      self.steps = steps
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, steps }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
      name = try c.decode(String.self, forKey: .name)
      steps = try c.decode([String].self, forKey: .steps)
    }
  }

  /// The weight of each signal in the combined score (a weighted mean of signals in [0, 1];
  /// weights need not sum to 1). When P(alive) is unavailable (no model could be fitted),
  /// its weight is left out.
  public struct Weights: Codable, Sendable, Equatable {
    /// Decline of sessions per day, recent vs baseline window (0 = no decline, 1 = none left).
    public var decline = 0.35
    /// `1 - exp(-days since last seen / the customer's own mean gap between active days)`.
    public var recency = 0.2
    /// 1 - P(alive).
    public var pAlive = 0.2
    /// `1 - 0.5^n` for n touchpoint events in the signal horizon.
    public var touchpoints = 0.15
    /// `1 - 0.5^n` for n sessions with a churn path in the signal horizon.
    public var paths = 0.1

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
      case decline, recency
      case pAlive = "p_alive"
      case touchpoints, paths
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
      decline = try c.decodeIfPresent(Double.self, forKey: .decline) ?? decline
      recency = try c.decodeIfPresent(Double.self, forKey: .recency) ?? recency
      pAlive = try c.decodeIfPresent(Double.self, forKey: .pAlive) ?? pAlive
      touchpoints = try c.decodeIfPresent(Double.self, forKey: .touchpoints) ?? touchpoints
      paths = try c.decodeIfPresent(Double.self, forKey: .paths) ?? paths
    }
  }

  /// Score thresholds: `high` when score ≥ `high`, `medium` when ≥ `medium`, else `low`.
  public struct Bands: Codable, Sendable, Equatable {
    public var high = 0.7
    public var medium = 0.4

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case high, medium }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
      high = try c.decodeIfPresent(Double.self, forKey: .high) ?? high
      medium = try c.decodeIfPresent(Double.self, forKey: .medium) ?? medium
    }
  }

  /// Days of daily history kept per customer in the state.
  public var windowDays = 90
  /// The recent window: the last `recent_days` days up to and including the run's day.
  public var recentDays = 14
  /// The baseline window: the `baseline_days` days just before the recent window.
  /// Touchpoints and paths are counted over recent + baseline (the signal horizon).
  public var baselineDays = 28
  /// The decline (1 - recent rate / baseline rate) from which "sessions down" is a reason.
  public var declineThreshold = 0.5
  public var touchpoints: [Touchpoint] = []
  public var paths: [Path] = []
  public var weights = Weights()
  public var bands = Bands()

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case windowDays = "window_days"
    case recentDays = "recent_days"
    case baselineDays = "baseline_days"
    case declineThreshold = "decline_threshold"
    case touchpoints, paths, weights, bands
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    windowDays = try c.decodeIfPresent(Int.self, forKey: .windowDays) ?? windowDays
    recentDays = try c.decodeIfPresent(Int.self, forKey: .recentDays) ?? recentDays
    baselineDays = try c.decodeIfPresent(Int.self, forKey: .baselineDays) ?? baselineDays
    declineThreshold =
      try c.decodeIfPresent(Double.self, forKey: .declineThreshold) ?? declineThreshold
    touchpoints = try c.decodeIfPresent([Touchpoint].self, forKey: .touchpoints) ?? []
    paths = try c.decodeIfPresent([Path].self, forKey: .paths) ?? []
    weights = try c.decodeIfPresent(Weights.self, forKey: .weights) ?? weights
    bands = try c.decodeIfPresent(Bands.self, forKey: .bands) ?? bands
  }

  /// The columns of `churn_signals.csv` before the per-signal columns; signal names must
  /// differ from them.
  public static let fixedColumns = [
    "user_id", "score", "band", "reasons", "last_seen", "days_since_last", "sessions_recent",
    "sessions_baseline", "p_alive",
  ]

  /// Every problem with the options; `path` is the section's position in the file
  /// (`churn`). Empty when valid.
  public func validate(path: String) -> [String] {
    var issues: [String] = []
    if windowDays < 1 { issues.append("\(path).window_days must be at least 1") }
    if recentDays < 1 { issues.append("\(path).recent_days must be at least 1") }
    if baselineDays < 1 { issues.append("\(path).baseline_days must be at least 1") }
    if recentDays + baselineDays > windowDays {
      issues.append(
        "\(path): recent_days + baseline_days (\(recentDays + baselineDays)) must not exceed "
          + "window_days (\(windowDays))")
    }
    if !(declineThreshold > 0 && declineThreshold <= 1) {
      issues.append("\(path).decline_threshold must be in (0, 1]")
    }
    var seen = Set(Self.fixedColumns)
    func checkName(_ name: String, _ at: String) {
      if name.isEmpty { issues.append("\(at).name must not be empty") }
      if !seen.insert(name).inserted {
        issues.append("\(at).name \"\(name)\" is used twice or is a fixed column name")
      }
    }
    if touchpoints.count > 64 { issues.append("\(path).touchpoints: at most 64") }
    for (index, touchpoint) in touchpoints.enumerated() {
      let at = "\(path).touchpoints[\(index)]"
      checkName(touchpoint.name, at)
      if touchpoint.page != nil && touchpoint.event != nil {
        issues.append("\(at): give \"page\" or \"event\", not both")
      }
      if touchpoint.page == nil && touchpoint.event == nil && touchpoint.channel == nil {
        issues.append("\(at): give \"page\", \"event\" or \"channel\"")
      }
      for (key, value) in [
        ("page", touchpoint.page), ("event", touchpoint.event),
        ("channel", touchpoint.channel),
      ] where value?.isEmpty == true {
        issues.append("\(at).\(key) must not be empty")
      }
    }
    for (index, churnPath) in paths.enumerated() {
      let at = "\(path).paths[\(index)]"
      checkName(churnPath.name, at)
      if churnPath.steps.count < 2 { issues.append("\(at).steps needs at least 2 steps") }
      if churnPath.steps.contains(where: \.isEmpty) {
        issues.append("\(at).steps must not contain empty steps")
      }
    }
    let w = weights
    let all = [w.decline, w.recency, w.pAlive, w.touchpoints, w.paths]
    if all.contains(where: { !($0 >= 0 && $0.isFinite) }) {
      issues.append("\(path).weights must be finite and not negative")
    } else if all.reduce(0, +) <= 0 {
      issues.append("\(path).weights must not all be 0")
    }
    if !(bands.medium > 0 && bands.medium < bands.high && bands.high <= 1) {
      issues.append("\(path).bands: need 0 < medium < high <= 1")
    }
    return issues
  }
}
