import ArgumentParser
import Logging
import PolkuCore

/// `polku merge`: publishes the outputs of a run whose files were read by map tasks on a
/// cluster (`polku worker map`), through the code `polku run` uses after reading.
struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Publish a run's outputs from map outputs read on a cluster.",
    discussion: """
      Each PARTS folder holds map outputs: files named part-* (Spark's text output), \
      written by `polku worker map` for every input file of the run. The merge checks \
      that they are whole (every file from the first to the last, each complete), then \
      does what `polku run` does once its files are read: merges the files' string tables, \
      applies the quality gates, stitches identities, sessionises, mines paths, scores \
      churn and publishes the same output folder, atomically. Pipelines/spark/polku-spark \
      runs the map on Spark and this merge on the driver.

      Example:
        polku merge --pipeline Pipelines/omnichannel.json --out out /tmp/polku-map-parts

      Exit status: as polku run (65 also when the map outputs are not whole).
      """)

  @OptionGroup var arguments: RunArguments

  @Argument(help: "Folders of map outputs (part-* files).")
  var parts: [String] = []

  func validate() throws {
    try arguments.validate()
    guard !parts.isEmpty else { throw ValidationError("give at least one PARTS folder") }
    if let date = arguments.date, date.contains("..") {
      throw ValidationError("--date takes one day here: the map ran for one day")
    }
  }

  func run() throws {
    let logger = Diagnostics.logger(quiet: arguments.quiet, format: arguments.logFormat)
    Signals.install()
    do {
      let loaded = try LoadedPipeline.load(path: arguments.pipeline)
      var options = arguments.options(
        pipeline: loaded, inputs: parts, day: arguments.date, logger: logger)
      options.mapParts = try MapParts.read(folders: parts, threads: options.threads)
      arguments.report(try Runner.run(options), day: arguments.date)
    } catch let error as PolkuError {
      Diagnostics.fail(error)
    }
  }
}
