import Testing

@testable import PolkuCore

/// A session that runs over midnight between two nightly runs stays one session, published
/// once, by the night it closed in.
@Suite struct SessionTailsTests {
  static func line(_ id: String, _ time: String, _ path: String) -> String {
    #"{"messageId":"\#(id)","timestamp":"\#(time)","type":"page","anonymousId":"a1","userId":"u1","context":{"page":{"path":"\#(path)"}}}"#
  }

  @Test func sessionOverMidnightIsJoinedAcrossNights() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let day1 = [
      Self.line("m1", "2026-11-01T23:50:00Z", "/"),
      Self.line("m2", "2026-11-01T23:55:00Z", "/pricing"),
      Self.line("m0", "2026-11-01T10:00:00Z", "/"),
    ]
    let day2 = [
      Self.line("m3", "2026-11-02T00:05:00Z", "/signup"),
      Self.line("m4", "2026-11-02T00:10:00Z", "/account"),
      Self.line("m5", "2026-11-02T09:00:00Z", "/"),
    ]
    try FileBytes.write(Array((day1.joined(separator: "\n") + "\n").utf8), to: "\(dir)/d1.jsonl")
    try FileBytes.write(Array((day2.joined(separator: "\n") + "\n").utf8), to: "\(dir)/d2.jsonl")
    let pipeline = try LoadedPipeline.load(
      path: "\(URLPath.packageRoot)/Pipelines/segment-web.json")
    func night(_ date: String, _ file: String) throws -> RunResult {
      try Runner.run(
        RunOptions(
          pipeline: pipeline, inputs: ["\(dir)/\(file)"], outputDirectory: "\(dir)/out",
          threads: 2, date: date, statePath: "\(dir)/state"))
    }
    let first = try night("2026-11-01", "d1.jsonl")
    // The 23:50 session is still open at midnight: held, not published.
    #expect(first.summary.sessions == 1)
    #expect(first.summary.sessionsHeld == 1)
    #expect(first.summary.events.held == 2)
    let second = try night("2026-11-02", "d2.jsonl")
    #expect(second.summary.events.carried == 2)
    #expect(second.summary.sessions == 2)

    let rows = String(
      decoding: try FileBytes.read("\(dir)/out/dt=2026-11-02/sessions.csv"), as: UTF8.self
    ).split(separator: "\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
    }
    let joined = rows.first { $0[3] == "2026-11-01T23:50:00.000Z" }
    #expect(joined?[4] == "2026-11-02T00:10:00.000Z")
    #expect(joined?[6] == "4")
    let previous = String(
      decoding: try FileBytes.read("\(dir)/out/dt=2026-11-01/sessions.csv"), as: UTF8.self)
    #expect(!previous.contains(String(joined?[0] ?? "missing")), "published on one night only")
    #expect(previous.contains("2026-11-01T10:00:00.000Z"))

    // Churn history counts the joined session once: 3 sessions, 6 events.
    let state = try CustomerState.load(from: "\(dir)/state")
    let customer = try #require(state.customers.first { $0.userId == "u1" })
    #expect(customer.sessions == 3)
    #expect(customer.events == 6)
  }

  /// A state saved before sessions were held (no `# held` line) carries sessions whose
  /// first part was published and folded then: the next night folds only their new events.
  @Test func tailsWithoutTheHeldMarkFoldOnlyTheirNewEvents() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let day1 = [
      Self.line("m1", "2026-11-01T23:50:00Z", "/"),
      Self.line("m2", "2026-11-01T23:55:00Z", "/pricing"),
    ]
    let day2 = [
      Self.line("m3", "2026-11-02T00:05:00Z", "/signup"),
      Self.line("m5", "2026-11-02T09:00:00Z", "/"),
    ]
    try FileBytes.write(Array((day1.joined(separator: "\n") + "\n").utf8), to: "\(dir)/d1.jsonl")
    try FileBytes.write(Array((day2.joined(separator: "\n") + "\n").utf8), to: "\(dir)/d2.jsonl")
    let pipeline = try LoadedPipeline.load(
      path: "\(URLPath.packageRoot)/Pipelines/segment-web.json")
    func night(_ date: String, _ file: String) throws -> RunResult {
      try Runner.run(
        RunOptions(
          pipeline: pipeline, inputs: ["\(dir)/\(file)"], outputDirectory: "\(dir)/out",
          threads: 2, date: date, statePath: "\(dir)/state"))
    }
    _ = try night("2026-11-01", "d1.jsonl")
    var state = try CustomerState.load(from: "\(dir)/state")
    var tails = SessionTails.Saved(state.sessionTails)
    #expect(tails.held)
    #expect(state.customers.isEmpty, "a held session is folded by no one yet")
    tails.held = false
    state.sessionTails = tails.bytes
    try state.save(to: "\(dir)/state")

    let second = try night("2026-11-02", "d2.jsonl")
    #expect(second.summary.events.carried == 2)
    let customer = try #require(
      try CustomerState.load(from: "\(dir)/state").customers.first { $0.userId == "u1" })
    // The joined session (3 events, 2 carried) adds its new event and no session; the
    // 09:00 session counts whole (held tails would count 2 sessions, 4 events).
    #expect(customer.sessions == 1)
    #expect(customer.events == 2)
  }

  /// A held session longer than the tails carry is published with its latest events, and
  /// the others are counted.
  @Test func aHeldSessionOverTheTailCapCountsWhatItDrops() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    // One visitor, an event every 10 s from 10:00 to 23:59:50: one session open at midnight.
    guard case .millis(let start) = TimestampParser.parse("2026-11-01T10:00:00Z", format: .iso8601)
    else {
      Issue.record("the start time does not parse")
      return
    }
    let count = 14 * 360
    var text = ""
    for index in 0..<count {
      let time = TimestampParser.formatISO8601(start + Int64(index) * 10_000)
      text += Self.line("m\(index)", time, "/p\(index % 7)") + "\n"
    }
    try FileBytes.write(Array(text.utf8), to: "\(dir)/d1.jsonl")
    try FileBytes.write([], to: "\(dir)/d2.jsonl")
    let pipeline = try LoadedPipeline.load(
      path: "\(URLPath.packageRoot)/Pipelines/segment-web.json")
    func night(_ date: String, _ file: String) throws -> RunResult {
      try Runner.run(
        RunOptions(
          pipeline: pipeline, inputs: ["\(dir)/\(file)"], outputDirectory: "\(dir)/out",
          threads: 2, date: date, statePath: "\(dir)/state"))
    }
    let first = try night("2026-11-01", "d1.jsonl")
    #expect(first.summary.sessions == 0)
    #expect(first.summary.sessionsHeld == 1)
    #expect(first.summary.events.held == count)
    #expect(first.summary.events.heldDropped == count - SessionTails.maxEventsPerVisitor)
    let second = try night("2026-11-02", "d2.jsonl")
    #expect(second.summary.sessions == 1)
    #expect(second.summary.sessionsHeld == 0)
    #expect(second.summary.events.sessionized == SessionTails.maxEventsPerVisitor)
  }
}
