/// The checks between ingest and sessionising that fail a run rather than publish
/// outputs that would mislead a dashboard, leaving the previous outputs in place.
enum QualityGates {
  /// Throws when damage left not one line to read, or when more lines were rejected than
  /// `quality.max_bad_row_ratio` allows (the rejected lines are then kept beside the
  /// output folder). Returns the bad-row ratio.
  static func check(_ ingested: IngestStage.Output, plan: RunPlan, output: OutputFolder) throws
    -> Double
  {
    try someLineWasRead(ingested, plan: plan)
    return try badRowsWithinBudget(ingested, plan: plan, output: output)
  }

  /// Throws when no input file matched an input of the pipeline: checked first, since
  /// ingest's warnings then only repeat it file by file.
  static func someInputMatches(_ ingested: IngestStage.Output, plan: RunPlan) throws {
    guard ingested.inputs.allSatisfy({ $0.status == .skipped }) else { return }
    let patterns = plan.spec.inputs.compactMap(\.files).joined(separator: ", ")
    throw PolkuError(
      .noInput,
      "none of the \(plan.files.count) input file(s) matches an input of the pipeline "
        + "(files patterns: \(patterns)); first file: \(plan.files[0])")
  }

  /// Inputs so damaged that not one line came out: publishing would replace yesterday's
  /// outputs with empty ones, and exit 0 would tell cron all is well.
  private static func someLineWasRead(_ ingested: IngestStage.Output, plan: RunPlan) throws {
    let damaged = ingested.inputs.filter { $0.status == .damaged }
    guard ingested.counters.linesRead == 0, let first = damaged.first else { return }
    throw PolkuError(
      .dataQuality,
      "no line could be read: \(damaged.count) of \(plan.files.count) input file(s) damaged "
        + "before their first line (\(first.path): \(first.damage ?? "damaged")); "
        + "previous outputs kept")
  }

  private static func badRowsWithinBudget(
    _ ingested: IngestStage.Output, plan: RunPlan, output: OutputFolder
  ) throws -> Double {
    let counters = ingested.counters
    let ratio =
      counters.linesRead == 0 ? 0 : Double(counters.rejectedTotal) / Double(counters.linesRead)
    let budget = plan.spec.quality.maxBadRowRatio
    guard ratio > budget else { return ratio }
    let kept = output.siblingPath("failed.bad_rows.jsonl")
    // Made in the staging folder, then renamed: a link at `kept` is replaced, not followed.
    let staged = output.path("failed.bad_rows.jsonl")
    if (try? BadRowParts.concatenate(ingested.badRowFiles, into: staged)) != nil {
      try? FileBytes.rename(staged, to: kept)
    }
    throw PolkuError(
      .dataQuality,
      "\(counters.rejectedTotal) of \(counters.linesRead) lines rejected "
        + "(\(formatFixed(ratio * 100, digits: 2)) %), over quality.max_bad_row_ratio "
        + "\(budget); previous outputs kept; rejected lines in \(kept)")
  }
}
