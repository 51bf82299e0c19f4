import ArgumentParser
import Logging
import PolkuCore

/// The options `polku run` and `polku merge` share: what to run and where to publish.
struct RunArguments: ParsableArguments {
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

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Stop, publishing nothing, once the night needs more memory than this (exit 71).",
      discussion: "SIZE: bytes, or with K, M, G or T (powers of 1024), or a share of the "
        + "machine's memory such as 50%; off for no limit. Default: 80% of the machine's "
        + "(or the container's) memory.",
      valueName: "SIZE"))
  var memoryLimit: String?

  /// `--memory-limit` as a limit; nil for `off` or where the machine's memory is unknown.
  var limit: MemoryLimit? {
    guard let memoryLimit else { return MemoryLimit.standard() }
    return memoryLimit == "off" ? nil : MemoryLimit(parsing: memoryLimit)
  }

  func validate() throws {
    guard threads >= 1 && threads <= 256 else {
      throw ValidationError("--threads must be 1...256, got \(threads)")
    }
    if let memoryLimit, memoryLimit != "off", MemoryLimit(parsing: memoryLimit) == nil {
      throw ValidationError(
        "--memory-limit takes a size such as 16G, 512M or 50%, or off; got '\(memoryLimit)'")
    }
  }

  /// The run of `day` (nil without `--date`).
  func options(pipeline loaded: LoadedPipeline, inputs: [String], day: String?, logger: Logger)
    -> RunOptions
  {
    var options = RunOptions(
      pipeline: loaded, inputs: inputs, outputDirectory: out, threads: threads, date: day,
      metricsFile: metricsFile, statePath: state, logger: logger)
    options.memoryLimit = limit
    return options
  }

  /// The one line a successful run prints (unless `--quiet`).
  func report(_ result: RunResult, day: String?) {
    guard !quiet else { return }
    let s = result.summary
    let target = VisibleText.escaped(day.map { "\(out)/dt=\($0)" } ?? out)
    Diagnostics.say(
      "√ \(s.events.read) lines, \(s.events.accepted) events, \(s.events.rejectedTotal) "
        + "rejected, \(s.events.duplicates) duplicates → \(s.sessions) sessions of "
        + "\(s.visitors) visitors in \(target)")
    // On a terminal, a short summary for people; cron runs (no terminal) and JSON logs
    // get the one line above.
    guard logFormat == .text, ProgressBar.isTerminal else { return }
    let report =
      result.manifest.outputs.contains { $0.file == Report.fileName }
      ? "\(target)/\(Report.fileName)" : nil
    for line in TerminalSummary.lines(s, report: report) { Diagnostics.warn(line) }
  }
}
