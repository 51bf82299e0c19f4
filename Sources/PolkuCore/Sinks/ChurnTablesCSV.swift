/// Writes the churn stage's rows as CSV: `churn_signals.csv` and `customers.csv`.
///
/// `churn_signals.csv` lists ``ChurnReport/atRisk`` (the high and medium bands, by score
/// descending then user id): `user_id, score, band, reasons, last_seen, days_since_last,
/// sessions_recent, sessions_baseline, p_alive`, then one column per touchpoint and path
/// (hits in the signal horizon), named as configured. `customers.csv` lists every known
/// customer by user id with all features. Scores and probabilities have 4 decimals (an
/// empty cell when unknown); times are ISO 8601 UTC to the second. Text cells are guarded
/// against formulas unless `guardingFormulas` is false (``CSVBuilder``).
public enum ChurnTablesCSV {
  /// The two files, signals first, for a report made with `spec` and `goals`.
  public static func files(
    _ report: ChurnReport, spec: ChurnSpec, goals: [GoalSpec], guardingFormulas: Bool = true
  ) -> [OutputFile] {
    let signalNames = spec.touchpoints.map(\.name) + spec.paths.map(\.name)
    return [
      signals(report.atRisk, signalNames: signalNames, guardingFormulas: guardingFormulas),
      customers(
        report.customers, signalNames: signalNames, goals: goals,
        guardingFormulas: guardingFormulas),
    ]
  }

  /// `churn_signals.csv` from rows already in order.
  static func signals(_ rows: [CustomerFeatures], signalNames: [String], guardingFormulas: Bool)
    -> OutputFile
  {
    var csv = CSVBuilder(
      header: ChurnSpec.fixedColumns + signalNames, guardingFormulas: guardingFormulas)
    for row in rows {
      csv.cell(row.userId)
      csv.cell(row.score, digits: 4)
      csv.cell(row.band.rawValue)
      csv.cell(row.reasons.joined(separator: "; "))
      csv.timestampCell(row.lastSeen, milliseconds: false)
      csv.cell(row.daysSinceLast)
      csv.cell(row.sessionsRecent)
      csv.cell(row.sessionsBaseline)
      csv.cell(row.pAlive, digits: 4)
      for count in row.touchpoints { csv.cell(count) }
      for count in row.paths { csv.cell(count) }
      csv.endRow()
    }
    return OutputFile(name: "churn_signals.csv", csv)
  }

  /// `customers.csv` from rows in user-id order.
  static func customers(
    _ rows: [CustomerFeatures], signalNames: [String], goals: [GoalSpec], guardingFormulas: Bool
  ) -> OutputFile {
    var header = [
      "user_id", "first_seen", "last_seen", "days_since_last", "active_days", "sessions_total",
      "events_total", "sessions_recent", "sessions_baseline", "baseline_days_known", "decline",
      "x", "t_x_days", "T_days", "p_alive", "expected_active_days_recent",
    ]
    header += signalNames + goals.map { "goal_" + $0.name } + ["score", "band", "reasons"]
    var csv = CSVBuilder(header: header, guardingFormulas: guardingFormulas)
    for row in rows {
      csv.cell(row.userId)
      csv.timestampCell(row.firstSeen, milliseconds: false)
      csv.timestampCell(row.lastSeen, milliseconds: false)
      csv.cell(row.daysSinceLast)
      csv.cell(row.activeDays)
      csv.cell(row.sessionsTotal)
      csv.cell(row.eventsTotal)
      csv.cell(row.sessionsRecent)
      csv.cell(row.sessionsBaseline)
      csv.cell(row.baselineDaysKnown)
      csv.cell(row.decline, digits: 4)
      csv.cell(Int(row.summary.frequency))
      csv.cell(Int(row.summary.recency))
      csv.cell(Int(row.summary.age))
      csv.cell(row.pAlive, digits: 4)
      csv.cell(row.expectedActiveDays, digits: 4)
      for count in row.touchpoints { csv.cell(count) }
      for count in row.paths { csv.cell(count) }
      for count in row.goals { csv.cell(count) }
      csv.cell(row.score, digits: 4)
      csv.cell(row.band.rawValue)
      csv.cell(row.reasons.joined(separator: "; "))
      csv.endRow()
    }
    return OutputFile(name: "customers.csv", csv)
  }
}
