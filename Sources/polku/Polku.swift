import ArgumentParser
import PolkuCore

@main
struct Polku: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "polku",
    abstract: "Batch ETL for clickstream and touchpoint logs: sessions, paths, churn.",
    version: PolkuVersion.current,
    subcommands: [Run.self, Validate.self, Explain.self, Generate.self, MinePatterns.self]
  )

  static func main() {
    // Before any thread starts: glibc reads its huge-page tunable only at start-up.
    HugePages.reexecIfUseful(arguments: CommandLine.unsafeArgv)
    main(nil)
  }
}
