import ArgumentParser
import PolkuCore

@main
struct Polku: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "polku",
    abstract: "Batch ETL for clickstream and touchpoint logs: sessions, paths, churn.",
    version: PolkuVersion.current,
    subcommands: [
      Run.self, Validate.self, Explain.self, ReportCommand.self, Generate.self, Merge.self,
      Worker.self, MinePatterns.self,
    ]
  )

  static func main() {
    // Before any thread starts: glibc reads its huge-page tunable only at start-up.
    HugePages.reexecIfUseful(arguments: CommandLine.unsafeArgv)
    let arguments = Array(CommandLine.arguments.dropFirst())
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch {
      if let hint = OptionHint.hint(
        arguments: arguments, message: fullMessage(for: error),
        known: configuration.subcommands.reduce(into: []) { names, command in
          names.formUnion(OptionHint.optionNames(inHelp: helpMessage(for: command)))
        })
      {
        Diagnostics.warn(VisibleText.escaped(hint))
      }
      exit(withError: error)
    }
  }
}
