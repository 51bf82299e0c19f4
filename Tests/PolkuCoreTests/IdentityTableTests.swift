import PolkuGenerate
import Testing

@testable import PolkuCore

/// Nightly runs with `identity: stitched`: every night publishes the identities known so
/// far (`identities.csv`) and counts the earlier sessions of the visitors it identified.
@Suite struct IdentityTableTests {
  static func line(_ id: String, _ time: String, anonymous: String, user: String?) -> String {
    let userField = user.map { #","userId":"\#($0)""# } ?? ""
    return
      #"{"messageId":"\#(id)","timestamp":"\#(time)","type":"page","anonymousId":"\#(anonymous)"\#(userField),"context":{"page":{"path":"/"}}}"#
  }

  static func night(_ date: String, _ inputs: [String], dir: String) throws -> RunResult {
    try Runner.run(
      RunOptions(
        pipeline: try LoadedPipeline.load(
          path: "\(URLPath.packageRoot)/Pipelines/segment-web.json"),
        inputs: inputs, outputDirectory: "\(dir)/out", threads: 2, date: date,
        statePath: "\(dir)/state"))
  }

  @Test func aVisitorIdentifiedOnALaterNightIsCountedAndMapped() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let day1 = [
      Self.line("m1", "2026-11-01T10:00:00Z", anonymous: "a1", user: nil),
      Self.line("m2", "2026-11-01T15:00:00Z", anonymous: "a1", user: nil),
      Self.line("m3", "2026-11-01T12:00:00Z", anonymous: "a2", user: nil),
    ]
    let day2 = [
      Self.line("m4", "2026-11-02T09:00:00Z", anonymous: "a1", user: "u1"),
      Self.line("m5", "2026-11-02T09:05:00Z", anonymous: "a1", user: nil),
    ]
    try FileBytes.write(Array((day1.joined(separator: "\n") + "\n").utf8), to: "\(dir)/d1.jsonl")
    try FileBytes.write(Array((day2.joined(separator: "\n") + "\n").utf8), to: "\(dir)/d2.jsonl")

    let first = try Self.night("2026-11-01", ["\(dir)/d1.jsonl"], dir: dir)
    #expect(first.summary.identity.identifiedTonight == 0)
    #expect(first.summary.identity.earlierSessionsOfIdentified == 0)
    #expect(
      try FileBytes.read("\(dir)/out/dt=2026-11-01/identities.csv")
        == Array("anonymous_id,user_id,first_seen,last_seen,identified_at\n".utf8))

    let second = try Self.night("2026-11-02", ["\(dir)/d2.jsonl"], dir: dir)
    // a1's two anonymous sessions of night one would be u1's in a single run.
    #expect(second.summary.identity.identifiedTonight == 1)
    #expect(second.summary.identity.earlierSessionsOfIdentified == 2)
    let table = try FileBytes.read("\(dir)/out/dt=2026-11-02/identities.csv")
    #expect(
      String(decoding: table, as: UTF8.self)
        == "anonymous_id,user_id,first_seen,last_seen,identified_at\n"
        + "a1,u1,2026-11-01T10:00:00.000Z,2026-11-02T09:05:00.000Z,2026-11-03T00:00:00.000Z\n")

    // Re-running the night reports and publishes the same.
    let again = try Self.night("2026-11-02", ["\(dir)/d2.jsonl"], dir: dir)
    #expect(again.summary.identity == second.summary.identity)
    #expect(try FileBytes.read("\(dir)/out/dt=2026-11-02/identities.csv") == table)
  }

  /// On generated nights, each night's count equals the sessions that earlier partitions
  /// published under the anonymous ids `identities.csv` says that night identified.
  @Test func earlierSessionCountsMatchThePartitions() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    var spec = GeneratorSpec()
    spec.seed = 11
    spec.visitors = 800
    spec.days = 4
    spec.formats = .jsonl
    spec.writeSessionsTruth = false
    try Generator.generate(spec, into: "\(dir)/data", gzip: true)
    let days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]
    var counted: [String: Int] = [:]
    for day in days {
      var options = RunOptions(
        pipeline: try LoadedPipeline.load(
          path: "\(URLPath.packageRoot)/Pipelines/segment-web.json"),
        inputs: ["\(dir)/data/segment"], outputDirectory: "\(dir)/out", threads: 2, date: day,
        statePath: "\(dir)/state")
      options.pipeline.spec.quality.maxBadRowRatio = 1
      counted[day] = try Runner.run(options).summary.identity.earlierSessionsOfIdentified
    }
    // identified_at is the cut of the night that identified the id: the end of its day.
    let identities = try PartitionTables.rows("\(dir)/out/dt=\(days[3])/identities.csv")
    var identifiedOn: [String: String] = [:]
    for row in identities {
      let cut = row["identified_at", default: ""]
      guard case .millis(let ms) = TimestampParser.parse(cut, format: .iso8601) else { continue }
      identifiedOn[row["anonymous_id", default: ""]] = String(
        TimestampParser.formatISO8601(ms - 1).prefix(10))
    }
    #expect(identifiedOn.count > 50)
    var expected: [String: Int] = [:]
    for (index, day) in days.enumerated() {
      for row in try PartitionTables.rows("\(dir)/out/dt=\(day)/sessions.csv")
      where row["user_id", default: ""].isEmpty {
        guard let night = identifiedOn[row["visitor_key", default: ""]],
          let nightIndex = days.firstIndex(of: night), nightIndex > index
        else { continue }
        expected[night, default: 0] += 1
      }
    }
    for day in days { #expect(counted[day] == expected[day] ?? 0, "\(day)") }
    #expect(expected.values.reduce(0, +) > 0)
  }
}
