/// The churn section of `summary.json`.
public struct ChurnSummary: Encodable, Sendable, Equatable {
  /// The fitted BG/NBD model (time unit: days).
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

    enum CodingKeys: String, CodingKey {
      case r, alpha, a, b
      case logLikelihood = "log_likelihood"
      case customersFitted = "customers_fitted"
      case converged, evaluations
      case timeUnit = "time_unit"
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

  enum CodingKeys: String, CodingKey {
    case now, customers, bands, model
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
  }
}

/// What the churn stage writes: `churn_signals.csv`, `customers.csv` and the summary.
public struct ChurnReport: Sendable {
  public var files: [(name: String, bytes: [UInt8], rows: Int)]
  public var summary: ChurnSummary
  /// Every customer's features, in user-id order (the rows of `customers.csv`).
  public var customers: [CustomerFeatures]

  /// The CSV files of scored customers.
  ///
  /// `churn_signals.csv` lists customers in the high and medium bands, by score descending
  /// then user id: `user_id, score, band, reasons, last_seen, days_since_last,
  /// sessions_recent, sessions_baseline, p_alive`, then one column per touchpoint and path
  /// (hits in the signal horizon), named as configured. `customers.csv` lists every known
  /// customer by user id with all features.
  static func files(_ rows: [CustomerFeatures], spec: ChurnSpec, goals: [GoalSpec])
    -> [(name: String, bytes: [UInt8], rows: Int)]
  {
    let signalNames = spec.touchpoints.map(\.name) + spec.paths.map(\.name)
    var signals = CSVBuilder(header: ChurnSpec.fixedColumns + signalNames)
    let ranked = rows.filter { $0.band != .low }.sorted {
      $0.score != $1.score
        ? $0.score > $1.score : utf8Precedes($0.userId, $1.userId)
    }
    for row in ranked {
      signals.cell(row.userId)
      signals.cell(row.score, digits: 4)
      signals.cell(row.band.rawValue)
      signals.cell(row.reasons.joined(separator: "; "))
      signals.timestampCell(row.lastSeen, milliseconds: false)
      signals.cell(row.daysSinceLast)
      signals.cell(row.sessionsRecent)
      signals.cell(row.sessionsBaseline)
      optional(&signals, row.pAlive)
      for count in row.touchpoints { signals.cell(count) }
      for count in row.paths { signals.cell(count) }
      signals.endRow()
    }

    var header = [
      "user_id", "first_seen", "last_seen", "days_since_last", "active_days", "sessions_total",
      "events_total", "sessions_recent", "sessions_baseline", "baseline_days_known", "decline",
      "x", "t_x_days", "T_days", "p_alive", "expected_active_days_recent",
    ]
    header += signalNames + goals.map { "goal_" + $0.name } + ["score", "band", "reasons"]
    var table = CSVBuilder(header: header)
    for row in rows {
      table.cell(row.userId)
      table.timestampCell(row.firstSeen, milliseconds: false)
      table.timestampCell(row.lastSeen, milliseconds: false)
      table.cell(row.daysSinceLast)
      table.cell(row.activeDays)
      table.cell(row.sessionsTotal)
      table.cell(row.eventsTotal)
      table.cell(row.sessionsRecent)
      table.cell(row.sessionsBaseline)
      table.cell(row.baselineDaysKnown)
      optional(&table, row.decline)
      table.cell(Int(row.summary.frequency))
      table.cell(Int(row.summary.recency))
      table.cell(Int(row.summary.age))
      optional(&table, row.pAlive)
      optional(&table, row.expectedActiveDays)
      for count in row.touchpoints { table.cell(count) }
      for count in row.paths { table.cell(count) }
      for count in row.goals { table.cell(count) }
      table.cell(row.score, digits: 4)
      table.cell(row.band.rawValue)
      table.cell(row.reasons.joined(separator: "; "))
      table.endRow()
    }
    return [
      ("churn_signals.csv", signals.bytes, signals.rows),
      ("customers.csv", table.bytes, table.rows),
    ]
  }

  private static func optional(_ csv: inout CSVBuilder, _ value: Double?) {
    if let value { csv.cell(value, digits: 4) } else { csv.emptyCell() }
  }
}
