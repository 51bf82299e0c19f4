import ArgumentParser
import Logging
import PolkuCore

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Read logs, build sessions and write the outputs.",
    discussion: """
      Each INPUT is a file, a folder (every file below it) or a quoted glob. Files may be
      gzip (one or many members) or plain text; the pipeline file says how to parse them.
      Outputs are written to a staging folder beside --out and swapped into place only
      when the run succeeds, so a dashboard never reads half a file.

      Examples:
        polku run --pipeline Pipelines/segment-web.json --out out SampleData/segment
        polku run --pipeline Pipelines/omnichannel.json --out /data/polku \\
            '/logs/web/*.jsonl.gz' /logs/contacts
        polku run --pipeline nightly.json --out out --threads 1 logs/

      Exit status: 0 success, 64 usage, 65 too many bad rows, 66 no input,
      74 I/O error, 78 invalid pipeline file.
      """)

  @Option(name: .long, help: "The pipeline file (JSON).")
  var pipeline: String

  @Option(name: .long, help: "The output folder (replaced as a whole on success).")
  var out: String

  @Option(name: .long, help: "Worker threads (default: the number of cores).")
  var threads: Int = ProcessInfoLite.cores

  @Flag(name: .long, help: "Only errors on stderr (for cron).")
  var quiet = false

  @Argument(help: "Input files, folders or globs.")
  var inputs: [String] = []

  func validate() throws {
    guard threads >= 1 && threads <= 256 else {
      throw ValidationError("--threads must be 1...256, got \(threads)")
    }
    guard !inputs.isEmpty else {
      throw ValidationError("give at least one INPUT (a file, folder or glob)")
    }
  }

  func run() throws {
    let logger = Diagnostics.logger(quiet: quiet)
    do {
      let loaded = try LoadedPipeline.load(path: pipeline)
      let result = try Runner.run(
        RunOptions(
          pipeline: loaded, inputs: inputs, outputDirectory: out, threads: threads,
          logger: logger))
      let s = result.summary
      if !quiet {
        Diagnostics.say(
          "√ \(s.events.read) lines, \(s.events.accepted) events, \(s.events.rejectedTotal) "
            + "rejected, \(s.events.duplicates) duplicates → \(s.sessions) sessions of "
            + "\(s.visitors) visitors in \(out)")
      }
    } catch let error as PolkuError {
      Diagnostics.fail(error)
    }
  }
}
