import ArgumentParser
import PolkuCore

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Rebuild report.html in a published output folder from its files.",
    discussion: """
      Reads the tables, summary.json, bad_rows.jsonl and manifest.json of OUT_DIR (no log \
      is read again) and writes report.html: to a temporary file first, renamed into place. \
      manifest.json is updated when the report's checksum changes. Holds the folder's lock, \
      so it never races a run publishing the same folder. A run with the same inputs wrote \
      the same bytes.

      Example:
        polku report out
        polku report /data/polku/dt=2026-11-01
      """)

  @Argument(help: "A published output folder (as polku run --out, or OUT/dt=DAY).")
  var outDir: String

  func run() throws {
    do {
      let rebuilt = try Report.rebuild(folder: outDir)
      Diagnostics.say(
        rebuilt.unchanged
          ? "√ \(rebuilt.path) is up to date (\(rebuilt.bytes) bytes)"
          : "√ wrote \(rebuilt.path) (\(rebuilt.bytes) bytes)")
    } catch let error as PolkuError {
      Diagnostics.fail(error)
    }
  }
}
