import ArgumentParser
import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `polku worker`: the tasks a cluster job runs on its nodes (see Pipelines/spark/).
struct Worker: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Tasks for a cluster job: list the inputs, map files to parts.",
    subcommands: [WorkerInputs.self, WorkerMap.self])
}

/// `polku worker inputs`: the run's input files, in the order `polku run` reads them.
struct WorkerInputs: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inputs",
    abstract: "Print the input files (files, folders, globs resolved), one per line.")

  @Argument(help: "Input files, folders or globs, as for polku run.")
  var inputs: [String] = []

  func run() throws {
    do {
      let files = try InputFiles.resolve(inputs)
      guard !files.isEmpty else {
        throw PolkuError(.noInput, "no input files in \(inputs.joined(separator: " "))")
      }
      for file in files { Diagnostics.say(file) }
    } catch let error as PolkuError {
      Diagnostics.fail(error)
    }
  }
}

/// `polku worker map`: one map task. Reads `INDEX<TAB>PATH` lines (or
/// `INDEX<TAB>PATH<TAB>BASE64`, the file's bytes inline) on standard input and writes each
/// file's map output on standard output.
struct WorkerMap: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "map",
    abstract: "Read the files listed on stdin (INDEX<TAB>PATH lines); write map output.",
    discussion: """
      INDEX is the file's place in the list `polku worker inputs` prints. A third field, \
      the file's bytes in base64, stands for a file only the cluster can read (s3a://, \
      hdfs://): it is read from a local copy and reported under PATH. The output is \
      text, one record per line, with no tab: what `polku merge` reads back. Exit status \
      as polku run (74 for an unreadable input, 78 for a bad pipeline file).
      """)

  @Option(name: .long, help: "The pipeline file (JSON).")
  var pipeline: String

  @Option(name: .long, help: "Keep only this day's events (YYYY-MM-DD), as polku run --date.")
  var date: String?

  func run() throws {
    // Test hook: a task's first attempt fails, so that the cluster's retry is exercised.
    if let marker = getenv("POLKU_TEST_FAIL_ONCE").map({ String(cString: $0) }),
      access(marker, F_OK) != 0
    {
      _ = try? FileBytes.write([], to: marker)
      Diagnostics.warn("x POLKU_TEST_FAIL_ONCE: failing this attempt (\(marker))")
      Glibc.exit(75)
    }
    do {
      let loaded = try LoadedPipeline.load(path: pipeline)
      try MapWorker(pipeline: loaded.spec, date: date).run(requestsFrom: 0)
    } catch let error as PolkuError {
      Diagnostics.fail(error)
    }
  }
}
