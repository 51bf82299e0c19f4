/// The churn stage: folds a run into the customer state, scores every customer, and
/// returns their features (the rows of `churn_signals.csv` and `customers.csv`, which
/// ``ChurnTablesCSV`` writes) with the churn section of `summary.json`.
///
/// Without `--state`, pass a fresh ``CustomerState()``: the history is then just this run's
/// sessions. With it, load the state before and ``CustomerState/save(to:)`` the output's
/// state after a successful run (the stage itself writes nothing to disk).
public struct ChurnStage: Stage {
  public static let name = "churn"

  public var spec: ChurnSpec
  public var goals: [GoalSpec]
  /// What the state records as folded by this run (see ``CustomerState/fold``).
  public var inputs: [InputFingerprint]
  /// The scoring time, ms since the epoch: ``latestEventTime(in:)`` or the end of the
  /// `--date` day.
  public var now: Int64
  /// Whether the events carried from `--state` in front of a session were already folded
  /// by the night they were carried from (states saved before open sessions were held):
  /// then only a carried session's new events count. Otherwise it counts whole, once.
  public var carriedWereFolded = false

  /// This run's sessions and the customer history before them.
  public struct Input: Sendable {
    public var run: SessionizedRun
    public var state: CustomerState

    public init(run: SessionizedRun, state: CustomerState) {
      self.run = run
      self.state = state
    }
  }

  /// The scores and the history with this run folded in.
  public struct Output: Sendable {
    public var report: ChurnReport
    public var state: CustomerState
  }

  public init(spec: ChurnSpec, goals: [GoalSpec], inputs: [InputFingerprint], now: Int64) {
    self.spec = spec
    self.goals = goals
    self.inputs = inputs
    self.now = now
  }

  /// Folds the run into the state and scores all customers as of ``now``. When every
  /// input was folded before, the state is unchanged and the report says so
  /// (`already_folded`).
  public func run(_ input: consuming Input) throws -> Output {
    var state = input.state
    let report = try score(input.run, into: &state)
    return Output(report: report, state: state)
  }

  private func score(_ run: SessionizedRun, into state: inout CustomerState) throws
    -> ChurnReport
  {
    let fold = try state.fold(
      run, inputs: inputs, spec: spec, now: now, carriedWereFolded: carriedWereFolded)
    let scores = ChurnScorer(spec: spec, goals: goals).score(state, now: now)
    let rows = scores.customers
    let fit = scores.fit
    var summary = ChurnSummary(
      now: TimestampParser.formatISO8601Seconds(now), customers: rows.count, high: 0, medium: 0,
      low: 0,
      alreadyFolded: fold.alreadyFolded, sessionsFolded: fold.sessions,
      anonymousSessions: fold.anonymousSessions, newCustomers: fold.newCustomers, model: nil)
    for row in rows {
      summary.scoreHistogram[ChurnSummary.scoreBucket(row.score)] += 1
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
        converged: fit.converged, evaluations: fit.evaluations,
        used: fit.notUsableBecause == nil, notUsedBecause: fit.notUsableBecause)
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
