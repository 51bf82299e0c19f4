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
      backfill; with --state, each day is folded once). After the first night, a night \
      reads only the files with records on its day. With --state, a session still \
      open at the night's cut (last event within sessions.gap_seconds of it) is held in \
      the state and published whole by the next night, so each session is in one \
      partition; run one night past the data to publish the last ones.

      Exit status: 0 success, 64 usage, 65 too many bad rows (or not one readable line), \
      66 no input, 71 the night needs more memory than --memory-limit, 74 I/O error, \
      75 output locked by another run, 78 invalid pipeline file, 130 interrupted (SIGINT/SIGTERM; previous outputs kept).
      """)

  @OptionGroup var arguments: RunArguments

  @Argument(help: "Input files, folders or globs.")
  var inputs: [String] = []

  private func progress(_ bar: ProgressBar?) -> (@Sendable (Int, Int) -> Void)? {
    guard let bar else { return nil }
    return { done, total in bar.update(done: done, total: total) }
  }

  func validate() throws {
    try arguments.validate()
    guard !inputs.isEmpty else {
      throw ValidationError("give at least one INPUT (a file, folder or glob)")
    }
  }

  func run() throws {
    let logger = Diagnostics.logger(quiet: arguments.quiet, format: arguments.logFormat)
    Signals.install()
    var bar: ProgressBar?
    do {
      let loaded = try LoadedPipeline.load(path: arguments.pipeline)
      // A window of days runs as that many nightly runs, in order (a backfill).
      let days: [String?] = try arguments.date.map { try DayWindow.days($0) } ?? [nil]
      // The nights share what they learn of the files' time ranges: each night reads only
      // the files with records on its day (after the first, which reads them all).
      let profiles = days.count > 1 ? FileProfiles() : nil
      for day in days {
        bar = !arguments.quiet && ProgressBar.isTerminal ? ProgressBar() : nil
        var options = arguments.options(pipeline: loaded, inputs: inputs, day: day, logger: logger)
        options.progress = progress(bar)
        options.fileProfiles = profiles
        let result = try Runner.run(options)
        bar?.finish()
        arguments.report(result, day: day)
      }
    } catch let error as PolkuError {
      bar?.finish()
      Diagnostics.fail(error)
    }
  }
}
