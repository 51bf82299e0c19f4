#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Runner {
  /// The outputs in the staging folder, in manifest order, and the run summary.
  struct WrittenOutputs {
    var outputs: [Manifest.Output]
    var summary: RunSummary
  }

  /// When the run started and how long its stages took.
  struct RunTiming {
    var startedAt: Int64
    var started: ContinuousClock.Instant
    var clock: StageClock
  }

  /// Writes what the analysis left in memory (the path tables, `summary.json`) beside the
  /// files its jobs already wrote, and lists them all in manifest order.
  static func writeOutputs(
    _ analysis: Analysis, carried: Int, identities: StateCarry.Identities?, rejectedRows: Int,
    guardingFormulas: Bool, to output: OutputFolder
  ) throws -> WrittenOutputs {
    let churn = analysis.churn.value
    let paths = analysis.paths.value
    var outputs = [analysis.sessionsTable.value]
    outputs.append(
      Manifest.Output(
        file: "bad_rows.jsonl", rows: rejectedRows, bytes: churn.badRows.bytes,
        sha256: churn.badRows.sha256))
    for file in paths.files { outputs.append(try output.write(file)) }
    outputs += churn.files
    var summary = churn.runSummary
    summary.churn = churn.summary
    summary.paths = paths.summary
    summary.events.carried = carried
    if let identities {
      outputs.append(try output.write(identities.table.csv(guardingFormulas: guardingFormulas)))
      summary.identity.identifiedTonight = identities.identified.visitors
      summary.identity.earlierSessionsOfIdentified = identities.identified.earlierSessions
    }
    outputs.append(
      try output.write(OutputFile(name: "summary.json", bytes: try json(summary), rows: 1)))
    return WrittenOutputs(outputs: outputs, summary: summary)
  }

  /// Writes `metrics.prom` and `manifest.json`, publishes the staging folder, then saves
  /// the state and the metrics file: state is saved only once the outputs are in place.
  static func publish(
    _ written: WrittenOutputs, analysis: Analysis, plan: RunPlan,
    ingested: IngestStage.Output, timing: RunTiming, to output: OutputFolder
  ) throws -> RunResult {
    let options = plan.options
    let finishedAt = nowMillis()
    let wallSeconds = StageClock.seconds(timing.started.duration(to: .now))
    let metrics = Metrics.text(
      pipeline: plan.spec.name, summary: written.summary, wallSeconds: wallSeconds,
      finishedAtMs: finishedAt)
    try FileBytes.write(Array(metrics.utf8), to: output.path("metrics.prom"))
    let churn = analysis.churn.value.summary
    let manifest = Manifest(
      polkuVersion: PolkuVersion.current,
      startedAt: TimestampParser.formatISO8601(timing.startedAt),
      finishedAt: TimestampParser.formatISO8601(finishedAt),
      wallSeconds: wallSeconds, threads: options.threads,
      pipeline: Manifest.PipelineInfo(
        path: options.pipeline.path, name: plan.spec.name, sha256: options.pipeline.sha256),
      inputs: ingested.inputs, outputs: written.outputs, stagesMs: timing.clock.milliseconds,
      peakMemoryMiB: timing.clock.peakMiB, warnings: ingested.warnings,
      state: options.statePath.map { path in
        Manifest.StateInfo(
          path: path, alreadyFolded: churn.alreadyFolded, sessionsFolded: churn.sessionsFolded,
          anonymousSessions: churn.anonymousSessions, newCustomers: churn.newCustomers)
      })
    try FileBytes.write(try json(manifest), to: output.path("manifest.json"))
    try Cancellation.check()
    try output.publish()
    if let statePath = options.statePath { try analysis.churn.value.state.save(to: statePath) }
    if let path = options.metricsFile { try Metrics.publish(metrics, to: path) }
    options.logger.info(
      "wrote \(written.summary.sessions) sessions of \(written.summary.visitors) visitors to \(output.target)"
    )
    return RunResult(summary: written.summary, manifest: manifest, warnings: manifest.warnings)
  }

  /// Pretty, key-sorted JSON with a final newline: byte-stable for the same value.
  static func json(_ value: some Encodable) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(value)) + [10]
  }
}
