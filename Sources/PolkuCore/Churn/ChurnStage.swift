/// The churn stage: folds a run into the customer state, scores every customer, and
/// returns their features (the rows of `churn_signals.csv` and `customers.csv`, which
/// ``ChurnTablesCSV`` writes) with the churn section of `summary.json`.
///
/// Without `--state`, pass a fresh ``CustomerState()``: the history is then just this run's
/// sessions. With it, load the state before and ``CustomerState/save(to:)`` it after a
/// successful run (the stage itself writes nothing to disk).
public struct ChurnStage: Sendable {
  public var spec: ChurnSpec
  public var goals: [GoalSpec]

  public init(spec: ChurnSpec, goals: [GoalSpec]) {
    self.spec = spec
    self.goals = goals
  }

  /// Folds `run` into `state` and scores all customers as of `now` (ms since the epoch;
  /// ``latestEventTime(in:)`` or a date the caller gives). When every input was folded
  /// before, the state is unchanged and the report says so (`already_folded`).
  public func run(
    _ run: SessionizedRun, state: inout CustomerState, inputs: [InputFingerprint], now: Int64
  ) throws -> ChurnReport {
    let fold = try state.fold(run, inputs: inputs, spec: spec, now: now)
    let (rows, fit) = ChurnScorer(spec: spec, goals: goals).score(state, now: now)
    var summary = ChurnSummary(
      now: TimestampParser.formatISO8601Seconds(now), customers: rows.count, high: 0, medium: 0,
      low: 0,
      alreadyFolded: fold.alreadyFolded, sessionsFolded: fold.sessions,
      anonymousSessions: fold.anonymousSessions, newCustomers: fold.newCustomers, model: nil)
    for row in rows {
      switch row.band {
      case .high: summary.high += 1
      case .medium: summary.medium += 1
      case .low: summary.low += 1
      }
    }
    if let fit {
      summary.model = ChurnSummary.Model(
        r: fit.model.r, alpha: fit.model.alpha, a: fit.model.a, b: fit.model.b,
        logLikelihood: fit.logLikelihood, customersFitted: fit.customers,
        converged: fit.converged, evaluations: fit.evaluations)
    }
    return ChurnReport(summary: summary, customers: rows)
  }

  /// The time of the latest event in `run` (ms since the epoch), 0 when it has none.
  public static func latestEventTime(in run: SessionizedRun) -> Int64 {
    var latest: Int64 = 0
    for batch in run.batches {
      for session in batch.sessions { latest = max(latest, session.end) }
    }
    return latest
  }
}
