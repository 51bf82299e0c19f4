import ArgumentParser
import Logging
import PolkuCore

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Read logs, build sessions and write the outputs.",
    discussion: """
      Each INPUT is a file, a folder (every file below it) or a quoted glob. Files may be \
      gzip (one or many members) or plain text; the pipeline file says how to parse them. \
      Outputs are written to a staging folder beside --out and swapped into place only \
      when the run succeeds, so a dashboard never reads half a file.

      Examples:
        polku run --pipeline Pipelines/segment-web.json --out out SampleData/segment
        polku run --pipeline Pipelines/omnichannel.json --out /data/polku \\
            '/logs/web/*.jsonl.gz' /logs/contacts
        polku run --pipeline nightly.json --out /data/polku --date 2026-11-01 \\
            --state /data/state --quiet --log-format json --metrics-file m.prom logs/

      With --date, only that day's events (in the pipeline's partitions.time_zone) are \
      kept and the outputs go to OUT/dt=DAY/; other days' partitions are untouched. \
      --date FROM..TO runs each day of the window in turn, as nightly runs would (a \
      backfill; with --state, each day is folded once).

      Exit status: 0 success, 64 usage, 65 too many bad rows (or not one readable line), \
      66 no input, 74 I/O error, 75 output locked by another run, 78 invalid pipeline file, \
      130 interrupted (SIGINT/SIGTERM; previous outputs kept).
      """)

  @Option(name: .long, help: "The pipeline file (JSON).")
  var pipeline: String

  @Option(name: .long, help: "The output folder (replaced as a whole on success).")
  var out: String

  @Option(name: .long, help: "Worker threads (default: the number of cores).")
  var threads: Int = ProcessInfoLite.cores

  @Option(
    name: .long,
    help: "Process one day (YYYY-MM-DD) into OUT/dt=DAY/, or each day of FROM..TO in turn.")
  var date: String?

  @Option(name: .long, help: "Also write metrics.prom here (node_exporter textfile folder).")
  var metricsFile: String?

  @Option(name: .long, help: "Per-customer history folder for churn, updated each run.")
  var state: String?

  @Option(name: .long, help: "Log format on stderr: text or json.")
  var logFormat: LogFormat = .text

  @Flag(name: .long, help: "Only errors on stderr, no progress bar (for cron).")
  var quiet = false

  @Argument(help: "Input files, folders or globs.")
  var inputs: [String] = []

  private func progress(_ bar: ProgressBar?) -> (@Sendable (Int, Int) -> Void)? {
    guard let bar else { return nil }
    return { done, total in bar.update(done: done, total: total) }
  }

  func validate() throws {
    guard threads >= 1 && threads <= 256 else {
      throw ValidationError("--threads must be 1...256, got \(threads)")
    }
    guard !inputs.isEmpty else {
      throw ValidationError("give at least one INPUT (a file, folder or glob)")
    }
  }

  func run() throws {
    let logger = Diagnostics.logger(quiet: quiet, format: logFormat)
    Signals.install()
    var bar: ProgressBar?
    do {
      let loaded = try LoadedPipeline.load(path: pipeline)
      // A window of days runs as that many nightly runs, in order (a backfill).
      let days: [String?] = try date.map { try DayWindow.days($0) } ?? [nil]
      for day in days {
        bar = !quiet && ProgressBar.isTerminal ? ProgressBar() : nil
        let result = try Runner.run(
          RunOptions(
            pipeline: loaded, inputs: inputs, outputDirectory: out, threads: threads,
            date: day, metricsFile: metricsFile, statePath: state, logger: logger,
            progress: progress(bar)))
        bar?.finish()
        let s = result.summary
        if !quiet {
          let target = day.map { "\(out)/dt=\($0)" } ?? out
          Diagnostics.say(
            "√ \(s.events.read) lines, \(s.events.accepted) events, \(s.events.rejectedTotal) "
              + "rejected, \(s.events.duplicates) duplicates → \(s.sessions) sessions of "
              + "\(s.visitors) visitors in \(target)")
        }
      }
    } catch let error as PolkuError {
      bar?.finish()
      Diagnostics.fail(error)
    }
  }
}
