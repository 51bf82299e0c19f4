import ArgumentParser
import PolkuCore

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check a pipeline file and list every problem.",
    discussion: """
      Reads the file as strict JSON: unknown keys, wrong types, bad regexes and values out \
      of range are all reported at once, each with its key path. Exits 0 when the file is \
      usable, 78 otherwise.

      Example:
        polku validate Pipelines/segment-web.json
      """)

  @Argument(help: "The pipeline file to check.")
  var file: String

  func run() throws {
    do {
      let loaded = try LoadedPipeline.load(path: file)
      Diagnostics.say(
        VisibleText.escaped("√ \(file): pipeline \"\(loaded.spec.name)\" is valid"))
    } catch let error as PolkuError {
      Diagnostics.fail(error)
    }
  }
}
