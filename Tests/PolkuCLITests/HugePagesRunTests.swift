import PolkuCore
import Testing

/// The CLI runs itself again with glibc's huge-page tunable (see ``HugePages``): the run
/// must keep its arguments and give the same outputs with and without it.
/// `POLKU_HUGE_PAGES=1` makes the re-exec happen whatever this machine's kernel mode.
@Suite struct HugePagesRunTests {
  static let outputs = [
    "sessions.csv", "summary.json", "bad_rows.jsonl", "journeys.csv", "goal_paths.csv",
    "funnels.csv", "transitions.csv", "patterns.csv", "churn_signals.csv", "customers.csv",
    "report.html",
  ]

  /// `polku run` on the shipped sample with `environment` (shell assignments) in front.
  static func run(_ scratch: Scratch, _ environment: String, out: String) throws -> ProcessResult {
    let root = PolkuBinary.packageRoot
    return try PolkuBinary.run(
      [
        "run", "--quiet", "--pipeline", "\(root)/Pipelines/omnichannel.json", "--out",
        scratch.path(out), "--threads", "2", "\(root)/SampleData/segment",
        "\(root)/SampleData/touchpoints",
      ], scratch: scratch, environment: environment)
  }

  @Test func sameOutputsWithAndWithoutHugePages() throws {
    let scratch = try Scratch()
    let variants = [
      ("default", ""), ("off", "POLKU_HUGE_PAGES=0"), ("forced", "POLKU_HUGE_PAGES=1"),
      ("other-tunable", "POLKU_HUGE_PAGES=1 GLIBC_TUNABLES=glibc.malloc.arena_max=2"),
    ]
    var results: [String: [String: [UInt8]]] = [:]
    for (name, environment) in variants {
      let result = try Self.run(scratch, environment, out: name)
      #expect(result.status == 0, "\(name): \(result.stderr)")
      var files: [String: [UInt8]] = [:]
      for file in Self.outputs {
        files[file] = try FileBytes.read(scratch.path("\(name)/\(file)"))
      }
      #expect(files["sessions.csv"].map { $0.count > 1000 } == true, "\(name): no sessions")
      results[name] = files
    }
    #expect(results["default"] == results["off"])
    #expect(results["default"] == results["forced"])
    #expect(results["default"] == results["other-tunable"])
  }
}
