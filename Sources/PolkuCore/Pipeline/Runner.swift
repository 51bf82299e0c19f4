#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The result of a run that produced and published its outputs.
public struct RunResult: Sendable {
  public var summary: RunSummary
  public var manifest: Manifest
  public var warnings: [String]
}

/// Runs a pipeline end to end and publishes its outputs atomically.
///
/// The plan (``RunPlan``), then the stages through one contract (``Stage``): ingest,
/// the quality gates, sessionise, then path mining, churn and the sessions table side by
/// side (``analyse(_:)``); every output is written into a staging folder that replaces
/// the previous outputs in one step (``OutputFolder``). Bad lines are quarantined; a run
/// that fails, is stopped or exceeds `quality.max_bad_row_ratio` leaves the previous
/// outputs and state as they were.
public enum Runner {
  public static func run(_ options: RunOptions) throws -> RunResult {
    let started = ContinuousClock.now
    do {
      return try runStages(options, started: started)
    } catch let error as PolkuError {
      if let path = options.metricsFile {
        try? Metrics.publish(
          Metrics.text(
            pipeline: options.pipeline.spec.name, summary: nil,
            wallSeconds: StageClock.seconds(started.duration(to: .now)),
            finishedAtMs: nowMillis(), failure: error),
          to: path)
      }
      throw error
    }
  }

  static func runStages(_ options: RunOptions, started: ContinuousClock.Instant) throws
    -> RunResult
  {
    let startedAt = nowMillis()
    let plan = try RunPlan(options)
    options.logger.info("reading \(plan.files.count) file(s) with \(options.threads) thread(s)")
    let lock = try RunLock(for: plan.target)
    defer { lock.release() }
    let stateLock = try options.statePath.map { try RunLock(for: $0) }
    defer { stateLock?.release() }
    let output = try OutputFolder(target: plan.target)
    do {
      var clock = StageClock()
      let ingested = try ingest(plan, staging: output.staging, clock: &clock)
      try QualityGates.someInputMatches(ingested, plan: plan)
      for warning in ingested.warnings { options.logger.warning("\(warning)") }
      let badRowRatio = try QualityGates.check(ingested, plan: plan, output: output)

      let carry = try StateCarry(plan)
      var input = SessionizeStage.Input(events: ingested.events, tables: ingested.tables)
      let carried = try carry.carry(into: &input)
      let night = try sessionize(input, plan: plan, carry: carry, clock: &clock)

      let analysis = try clock.step("analyse") {
        try analyse(
          AnalysisInput(
            plan: plan, output: output, ingested: ingested, sessionized: night.sessionized,
            carry: carry, cut: night.cut, held: night.held, identities: night.identities,
            badRowRatio: badRowRatio))
      }
      clock.record("paths", milliseconds: analysis.paths.milliseconds)
      clock.record("churn", milliseconds: analysis.churn.milliseconds)
      clock.record("sessions_table", milliseconds: analysis.sessionsTable.milliseconds)
      var written = try clock.step("write") {
        try writeOutputs(
          analysis, carried: carried, identities: night.identities,
          rejectedRows: ingested.counters.rejectedTotal,
          guardingFormulas: plan.spec.outputs.csvFormulaGuard, to: output)
      }
      if plan.spec.report.enabled {
        // From the staged files, as `polku report` does from the published ones.
        written.outputs.append(
          try clock.step("report") {
            try output.write(
              Report.file(
                folder: output.staging, inputs: ingested.inputs,
                pipelineSHA256: options.pipeline.sha256))
          })
      }
      return try publish(
        written, analysis: analysis, plan: plan, ingested: ingested,
        timing: RunTiming(startedAt: startedAt, started: started, clock: clock), to: output)
    } catch {
      output.discard()
      throw error
    }
  }

  /// The input files read here, or, for `polku merge`, as map tasks read them.
  static func ingest(_ plan: RunPlan, staging: String, clock: inout StageClock) throws
    -> IngestStage.Output
  {
    let options = plan.options
    if let parts = options.mapParts {
      // Map tasks read the files; the night is in memory only from here on.
      if let limit = options.memoryLimit, parts.eventCount > limit.maxEvents {
        throw EventBudget.exceeded(events: parts.eventCount, limit: limit, soFar: false)
      }
      return try clock.run(
        MapPartsStage(spec: plan.spec, threads: options.threads, staging: staging), parts)
    }
    let ingested = try clock.run(
      IngestStage(
        spec: plan.spec, threads: options.threads, staging: staging, window: plan.window,
        progress: options.progress, memoryLimit: options.memoryLimit,
        profiles: options.fileProfiles),
      plan.files)
    if ingested.filesNotRead > 0, let window = plan.window {
      let files = "\(ingested.filesNotRead) of \(plan.files.count) file(s)"
      options.logger.info(
        "\(files) not read again: no record on \(window.date) (known from an earlier night)")
    }
    return ingested
  }

  static func nowMillis() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
  }
}
