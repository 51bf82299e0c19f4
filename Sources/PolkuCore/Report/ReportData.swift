#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Everything `report.html` shows, read from an output folder's published files.
///
/// The run builds it from its staging folder once the tables and `summary.json` are
/// written; `polku report OUT_DIR` builds it from the published folder. Both read the same
/// files, so both give the same bytes. Inputs and the pipeline's hash are what the manifest
/// holds (the run passes its own, which the manifest is then written from); nothing that
/// depends on when or where the run happened (times, thread count, paths of the folder)
/// goes in.
public struct ReportData: Sendable {
  /// Input files as the manifest lists them.
  public var inputs: [InputStatus]
  /// SHA-256 of the pipeline file (hex).
  public var pipelineSHA256: String
  var summary: ReportSummary
  var transitions: CSVTable
  var goalPaths: CSVTable
  var funnels: CSVTable
  var journeys: CSVTable
  var churnSignals: CSVTable
  /// The first rejected lines of each reason (``ReportData/examplesPerReason``).
  var badRowExamples: [String: [BadRowExample]]

  /// One line of `bad_rows.jsonl`, as the report shows it.
  struct BadRowExample: Decodable, Sendable {
    var file: String
    var line: Int
    var reason: String
    var raw: String
  }

  /// The most characters of a value shown (longer ones end in `…`; the files have them
  /// whole).
  static let maxValueLength = 300
  /// Input files listed when damaged or skipped.
  static let maxInputsListed = 50
  /// Examples kept per rejection reason.
  static let examplesPerReason = 3
  /// How much of `bad_rows.jsonl` is read for examples (it can be large).
  static let badRowBytesRead = 1 << 20
  /// The most bytes read of `churn_signals.csv` (the at-risk customers; only the top rows
  /// and the reasons of the rows read are shown).
  static let churnSignalBytesRead = 8 << 20

  /// Reads the files of the output folder at `folder`.
  public static func load(folder: String, inputs: [InputStatus], pipelineSHA256: String)
    throws -> ReportData
  {
    func table(_ name: String, limit: Int = Int.max) throws -> CSVTable {
      let path = "\(folder)/\(name)"
      guard FileBytes.exists(path) else { return CSVTable([]) }
      return CSVTable(
        try FileBytes.readPrefix(path, maxBytes: limit), maxCellLength: maxValueLength)
    }
    let summaryBytes = try FileBytes.read("\(folder)/summary.json")
    let summary: ReportSummary
    do {
      summary = try JSONDecoder().decode(ReportSummary.self, from: Data(summaryBytes))
    } catch {
      throw PolkuError(.dataQuality, "\(folder)/summary.json is not a polku summary: \(error)")
    }
    return ReportData(
      inputs: inputs, pipelineSHA256: pipelineSHA256, summary: summary,
      transitions: try table("transitions.csv"), goalPaths: try table("goal_paths.csv"),
      funnels: try table("funnels.csv"), journeys: try table("journeys.csv", limit: 1 << 20),
      churnSignals: try table("churn_signals.csv", limit: churnSignalBytesRead),
      badRowExamples: try badRows(
        "\(folder)/bad_rows.jsonl", reasons: summary.events.rejected))
  }

  /// The first ``examplesPerReason`` lines of each reason in the first
  /// ``badRowBytesRead`` bytes of `path`; reading stops once every reason of `reasons`
  /// (the summary's counts) has its examples.
  static func badRows(_ path: String, reasons: [String: Int]) throws
    -> [String: [BadRowExample]]
  {
    guard FileBytes.exists(path) else { return [:] }
    let bytes = try FileBytes.readPrefix(path, maxBytes: badRowBytesRead)
    var examples: [String: [BadRowExample]] = [:]
    var wanted = reasons.filter { $0.value > 0 }.count
    let decoder = JSONDecoder()
    for line in bytes.split(separator: 10, omittingEmptySubsequences: true) {
      if wanted == 0 { break }
      guard let row = try? decoder.decode(BadRowExample.self, from: Data(line)) else { continue }
      if examples[row.reason, default: []].count < examplesPerReason {
        var row = row
        row.file = ReportColors.shortened(row.file, to: maxValueLength)
        examples[row.reason, default: []].append(row)
        let count = examples[row.reason]?.count ?? 0
        if count == min(examplesPerReason, reasons[row.reason] ?? 0) { wanted -= 1 }
      }
    }
    return examples
  }
}
