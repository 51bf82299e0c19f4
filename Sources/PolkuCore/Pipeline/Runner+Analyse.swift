extension Runner {
  /// What the analysis reads: the sessions and what came before them.
  struct AnalysisInput: Sendable {
    let plan: RunPlan
    let output: OutputFolder
    let ingested: IngestStage.Output
    let sessionized: SessionizeStage.Output
    let carry: StateCarry
    /// The night's cut: the end of the `--date` day, else the latest event (churn's `now`).
    let cut: Int64
    /// The sessions open at the cut, held for the next night (with `--state`), already
    /// taken out of `sessionized`.
    let held: HeldSessions
    /// With `identity: stitched` and `--state`: the identity table after tonight.
    let identities: StateCarry.Identities?
    let badRowRatio: Double
  }

  /// What the analysis produced: each job's result and its time.
  struct Analysis: Sendable {
    var paths: Timed<PathsJob>
    var churn: Timed<ChurnJob>
    /// `sessions.csv`, already written.
    var sessionsTable: Timed<Manifest.Output>
  }

  /// The paths job's results: the stage's summary and its tables as CSV files, built
  /// while the other jobs run (written with the other outputs).
  struct PathsJob: Sendable {
    var summary: PathSummary
    var files: [OutputFile]
  }

  /// The churn job's results: the stage's output (without per-customer rows, freed once
  /// written), and what the job does besides, since it is the shortest of the three.
  struct ChurnJob: Sendable {
    var summary: ChurnSummary
    /// The history to save, with tonight's open session tails.
    var state: CustomerState
    /// `churn_signals.csv` and `customers.csv`, already written.
    var files: [Manifest.Output]
    /// `bad_rows.jsonl`, already written.
    var badRows: BadRowParts.WrittenBytes
    /// The run's summary without its `paths` and `churn` sections.
    var runSummary: RunSummary
  }

  /// Path mining, churn and the sessions table: they read the same sessions and do not
  /// depend on each other, so they run side by side.
  static func analyse(_ input: AnalysisInput) throws -> Analysis {
    let threads = input.plan.options.threads
    let (paths, churn, table) = try concurrently(
      threads: threads,
      {
        StageClock.timed {
          let run = input.sessionized.run
          let report = PathMiner(
            spec: input.plan.spec.paths, goals: input.plan.spec.goals, tables: run.tables,
            threads: threads
          ).run(run)
          return PathsJob(
            summary: report.summary,
            files: PathTablesCSV.files(
              report.tables, guardingFormulas: input.plan.spec.outputs.csvFormulaGuard))
        }
      },
      { try StageClock.timed { try churnJob(input) } },
      {
        // The largest output: build, write and checksum it while the others run.
        try StageClock.timed {
          let entry = try SessionsTable.write(
            input.sessionized.run, to: input.output.path("sessions.csv"), threads: threads,
            guardingFormulas: input.plan.spec.outputs.csvFormulaGuard)
          MemoryUsage.releaseFreeMemory()
          return entry
        }
      })
    return Analysis(paths: paths, churn: churn, sessionsTable: table)
  }

  /// Churn, then (the shortest job) its files, `bad_rows.jsonl` and the run summary,
  /// which would otherwise wait for the slowest job.
  static func churnJob(_ input: AnalysisInput) throws -> ChurnJob {
    let churned = try churn(input)
    // The per-customer rows are written and gone: hand their memory back while path
    // mining (usually the longest job) still runs.
    MemoryUsage.releaseFreeMemory()
    let spec = input.plan.spec
    let run = input.sessionized.run
    let stats = SessionStats(idCount: run.tables.ids.count, goalCount: min(spec.goals.count, 64))
      .aggregate(run.batches.map(\.sessions), threads: input.plan.options.threads)
    var runSummary = RunSummary(
      spec: spec, ingested: input.ingested, sessionized: input.sessionized, stats: stats,
      badRowRatio: input.badRowRatio)
    if input.plan.options.statePath != nil {
      runSummary.sessionsHeld = input.held.sessions
      runSummary.events.held = input.held.events
      runSummary.events.heldDropped = input.held.eventsDropped
    }
    return ChurnJob(
      summary: churned.summary, state: churned.state, files: churned.files,
      badRows: try BadRowParts.concatenate(
        input.ingested.badRowFiles, into: input.output.path("bad_rows.jsonl")),
      runSummary: runSummary)
  }

  /// What the churn stage leaves once its rows are written.
  private struct Churned {
    var summary: ChurnSummary
    var state: CustomerState
    var files: [Manifest.Output]
  }

  /// The churn stage, and its files written.
  private static func churn(_ input: AnalysisInput) throws -> Churned {
    let spec = input.plan.spec
    let run = input.sessionized.run
    var stage = ChurnStage(
      spec: spec.churn, goals: spec.goals, inputs: input.plan.fingerprints, now: input.cut)
    stage.carriedWereFolded = input.carry.carriedWereFolded
    let churned = try stage.run(ChurnStage.Input(run: run, state: input.carry.state))
    return Churned(
      summary: churned.report.summary,
      state: input.carry.next(churned.state, holding: input.held, identities: input.identities),
      files: try ChurnTablesCSV.files(
        churned.report, spec: spec.churn, goals: spec.goals,
        guardingFormulas: spec.outputs.csvFormulaGuard
      ).map { try input.output.write($0) })
  }
}
