import PolkuCore
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Runs that cron starts and nobody watches: killed runs, signals, re-runs.
///
/// Serialized: each test starts processes and times kills, and sharing two cores with the
/// other suites would make the kill points drift.
@Suite(.serialized) struct UnattendedRunTests {
  static let root = PolkuBinary.packageRoot
  static let outputs = [
    "sessions.csv", "summary.json", "bad_rows.jsonl", "journeys.csv", "goal_paths.csv",
    "funnels.csv", "transitions.csv", "patterns.csv", "churn_signals.csv", "customers.csv",
    "report.html",
  ]

  /// Two nights of generated web events (gzipped), big enough that a debug-build run
  /// takes a while, so kills land in every stage.
  static func data(_ scratch: Scratch) throws -> String {
    let dir = scratch.path("data")
    let result = try PolkuBinary.run(
      [
        "generate", "--out", dir, "--visitors", "1500", "--days", "2", "--formats", "jsonl",
        "--files-per-day", "2", "--gzip", "--no-sessions-truth", "--seed", "7",
      ], scratch: scratch)
    try #require(result.status == 0, "generate failed: \(result.stderr)")
    return "\(dir)/segment"
  }

  static func night(_ date: String, data: String, out: String, state: String) -> [String] {
    [
      "run", "--quiet", "--pipeline", "\(root)/Pipelines/segment-web.json", "--out", out,
      "--state", state, "--date", date, "\(data)/events-\(date)-0.jsonl.gz",
      "\(data)/events-\(date)-1.jsonl.gz",
    ]
  }

  /// `polku run` of all of `data` into `out`, without state or partitions.
  static func plainRun(data: String, out: String) -> [String] {
    ["run", "--quiet", "--pipeline", "\(root)/Pipelines/segment-web.json", "--out", out, data]
  }

  static func read(_ folder: String) -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    for name in outputs { files[name] = (try? FileBytes.read("\(folder)/\(name)")) ?? [] }
    return files
  }

  static func stateText(_ state: String) -> String {
    let current =
      String(decoding: (try? FileBytes.read("\(state)/CURRENT")) ?? [], as: UTF8.self)
      .split(separator: "\n").first.map(String.init) ?? ""
    return String(
      decoding: (try? FileBytes.read("\(state)/\(current)/customers.tsv")) ?? [], as: UTF8.self)
  }

  @Test func killedRunsLeaveOutputsAndStateIntactAndAReRunMatches() throws {
    let scratch = try Scratch()
    let data = try Self.data(scratch)

    // The reference: both nights, uninterrupted.
    let refOut = scratch.path("ref-out")
    let refState = scratch.path("ref-state")
    for date in ["2026-11-01", "2026-11-02"] {
      let result = try PolkuBinary.run(
        Self.night(date, data: data, out: refOut, state: refState), scratch: scratch)
      try #require(result.status == 0, "reference \(date): \(result.stderr)")
    }
    let reference = Self.read("\(refOut)/dt=2026-11-02")
    let referenceState = Self.stateText(refState)
    #expect(!(reference["sessions.csv"] ?? []).isEmpty)

    // Night one completes; night two is killed at many points.
    let out = scratch.path("out")
    let state = scratch.path("state")
    let first = try PolkuBinary.run(
      Self.night("2026-11-01", data: data, out: out, state: state), scratch: scratch)
    try #require(first.status == 0, "\(first.stderr)")
    let nightOne = Self.read("\(out)/dt=2026-11-01")
    let stateAfterOne = Self.stateText(state)

    var killedEarly = 0
    for delayMs in [5, 20, 60, 120, 200, 300, 450, 650, 900, 1300, 1800, 2500] {
      let pid = try PolkuBinary.start(
        Self.night("2026-11-02", data: data, out: out, state: state), scratch: scratch,
        tag: "kill")
      usleep(useconds_t(delayMs * 1000))
      kill(pid, SIGKILL)
      let ended = try PolkuBinary.wait(pid, scratch: scratch, tag: "kill")
      if ended.signal == SIGKILL { killedEarly += 1 }
      // Night one's partition never changes; night two's is absent or complete.
      #expect(Self.read("\(out)/dt=2026-11-01") == nightOne, "after kill at \(delayMs) ms")
      if access("\(out)/dt=2026-11-02/manifest.json", F_OK) == 0 {
        #expect(
          Self.read("\(out)/dt=2026-11-02") == reference, "partial partition at \(delayMs) ms")
      }
      // The state is always a whole generation: the one before the run or the one after.
      let now = Self.stateText(state)
      #expect(now == stateAfterOne || now == referenceState, "state torn at \(delayMs) ms")
      #expect(throws: Never.self) { _ = try CustomerState.load(from: state) }
    }
    #expect(killedEarly >= 3, "too few kills landed before the run ended: \(killedEarly)")

    let rerun = try PolkuBinary.run(
      Self.night("2026-11-02", data: data, out: out, state: state), scratch: scratch)
    try #require(rerun.status == 0, "\(rerun.stderr)")
    let final = Self.read("\(out)/dt=2026-11-02")
    for name in Self.outputs {
      #expect(final[name] == reference[name], "\(name) differs from the uninterrupted run")
    }
    #expect(Self.stateText(state) == referenceState)
    // Leftover staging folders of killed runs are gone after the successful run.
    let leftovers = OutputFolder.entries(out).filter { $0.contains("polku-tmp") }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }

  @Test func sigtermStopsPromptlyAndKeepsThePreviousOutput() throws {
    let scratch = try Scratch()
    let data = try Self.data(scratch)
    let out = scratch.path("out")
    let arguments = Self.plainRun(data: data, out: out)
    let first = try PolkuBinary.run(arguments, scratch: scratch)
    try #require(first.status == 0, "\(first.stderr)")
    let before = Self.read(out)
    for signal in [SIGTERM, SIGINT] {
      let pid = try PolkuBinary.start(arguments, scratch: scratch, tag: "signal")
      usleep(150_000)
      let sent = ContinuousClock.now
      kill(pid, signal)
      let ended = try PolkuBinary.wait(pid, scratch: scratch, tag: "signal")
      let took = sent.duration(to: .now)
      // Either the run had already finished (0), or it stopped with 130 and said why.
      if ended.status != 0 {
        #expect(ended.status == 130, "exit \(String(describing: ended.status)): \(ended.stderr)")
        #expect(ended.stderr.contains("stopped by signal"))
        #expect(took < .seconds(5), "took \(took) to stop")
      }
      #expect(Self.read(out) == before)
      #expect(OutputFolder.entries(scratch.root).filter { $0.contains("polku-tmp") }.isEmpty)
    }
  }

  @Test func secondRunOnTheSameOutputExitsLocked() throws {
    let scratch = try Scratch()
    let data = try Self.data(scratch)
    let out = scratch.path("out")
    let arguments = Self.plainRun(data: data, out: out)
    let held = try RunLock(for: out)
    let blocked = try PolkuBinary.run(arguments, scratch: scratch)
    #expect(blocked.status == 75)
    #expect(blocked.stderr.contains("in use by another polku run"))
    held.release()
    let free = try PolkuBinary.run(arguments, scratch: scratch)
    #expect(free.status == 0, "\(free.stderr)")
  }
}
