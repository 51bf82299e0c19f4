import ArgumentParser
import PolkuCore

struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print a pipeline file with every default filled in.",
    discussion: """
      Reads and validates the file like `polku validate`, then prints the effective \\
      pipeline as JSON: every option, including the ones the file leaves to their \\
      defaults. The output is itself a valid pipeline file.

      Example:
        polku explain Pipelines/segment-web.json > effective.json
      """)

  @Argument(help: "The pipeline file.")
  var file: String

  func run() throws {
    do {
      let loaded = try LoadedPipeline.load(path: file)
      print(try loaded.spec.effectiveJSON())
    } catch let error as PolkuError {
      Diagnostics.fail(error)
    }
  }
}
