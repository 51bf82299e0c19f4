/// The churn section of `summary.json`.
public struct ChurnSummary: Encodable, Sendable, Equatable {
  /// The fitted BG/NBD model (time unit: days), and whether scores use it.
  public struct Model: Encodable, Sendable, Equatable {
    public var r: Double
    public var alpha: Double
    public var a: Double
    public var b: Double
    public var logLikelihood: Double
    public var customersFitted: Int
    public var converged: Bool
    public var evaluations: Int
    public var timeUnit = "day"
    /// Whether P(alive) and the expected active days come from this fit (see
    /// ``BGNBDFit/notUsableBecause``): when not, scores leave P(alive) out.
    public var used: Bool
    /// Why the fit is not used, in plain words; null when it is.
    @ExplicitNull public var notUsedBecause: String?

    enum CodingKeys: String, CodingKey {
      case r, alpha, a, b
      case logLikelihood = "log_likelihood"
      case customersFitted = "customers_fitted"
      case converged, evaluations
      case timeUnit = "time_unit"
      case used
      case notUsedBecause = "not_used_because"
    }
  }

  /// The scoring day (ISO 8601 UTC of `now`).
  public var now: String
  public var customers: Int
  public var high: Int
  public var medium: Int
  public var low: Int
  /// The inputs had all been folded before: the state was not changed by this run.
  public var alreadyFolded: Bool
  public var sessionsFolded: Int
  public var anonymousSessions: Int
  public var newCustomers: Int
  /// Nil (JSON null) when too few customers to fit.
  public var model: Model?
  /// Customers by score in tenths: `[0, 0.1)`, ..., `[0.9, 1]`, the score taken as
  /// `customers.csv` writes it (4 decimals).
  public var scoreHistogram = [Int](repeating: 0, count: 10)

  enum CodingKeys: String, CodingKey {
    case now, customers, bands, model
    case scoreHistogram = "score_histogram"
    case alreadyFolded = "already_folded"
    case sessionsFolded = "sessions_folded"
    case anonymousSessions = "anonymous_sessions"
    case newCustomers = "new_customers"
  }

  enum BandKeys: String, CodingKey { case high, medium, low }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(now, forKey: .now)
    try c.encode(customers, forKey: .customers)
    var bands = c.nestedContainer(keyedBy: BandKeys.self, forKey: .bands)
    try bands.encode(high, forKey: .high)
    try bands.encode(medium, forKey: .medium)
    try bands.encode(low, forKey: .low)
    // The fold's bookkeeping (already folded, sessions folded, new customers) depends on
    // what the state held before, not on this run's input: it goes to manifest.json
    // (see ``Manifest/StateInfo``), so re-running a night gives the same summary.json.
    if let model { try c.encode(model, forKey: .model) } else { try c.encodeNil(forKey: .model) }
    try c.encode(scoreHistogram, forKey: .scoreHistogram)
  }

  /// The ``scoreHistogram`` slot of `score` (rounded to 4 decimals first, as written).
  static func scoreBucket(_ score: Double) -> Int {
    let tenThousandths = (score * 10_000).rounded()
    guard tenThousandths.isFinite else { return 0 }
    return max(0, min(9, Int(tenThousandths) / 1000))
  }
}

/// What the churn stage produced: every customer's features and the summary.
///
/// The stage writes no files: ``ChurnTablesCSV`` turns the rows into `churn_signals.csv`
/// and `customers.csv`.
public struct ChurnReport: Sendable {
  public var summary: ChurnSummary
  /// Every customer's features, in user-id order (the rows of `customers.csv`).
  public var customers: [CustomerFeatures]

  /// A report from its parts.
  public init(summary: ChurnSummary, customers: [CustomerFeatures]) {
    self.summary = summary
    self.customers = customers
  }

  /// The customers in the high and medium bands, by score (descending) then user id (the
  /// rows of `churn_signals.csv`), sorted on each call.
  public var atRisk: [CustomerFeatures] {
    customers.filter { $0.band != .low }.sorted {
      $0.score != $1.score ? $0.score > $1.score : utf8Precedes($0.userId, $1.userId)
    }
  }
}
