import PolkuGenerate
import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Nightly runs add up: with `--state`, each session is published once, in the partition
/// of the night it closed in, so the partitions of a backfill (or of nights run one by one)
/// hold exactly the sessions of one run over the same files, and their additive tables sum
/// to that run's.
@Suite struct NightlyPartitionTests {
  static let days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]
  /// The night after the data: publishes what the last day's night held.
  static let closingDay = "2026-11-05"

  /// Four days of generated web events (gzipped, two files a day, every event in the file
  /// of its UTC day), with sessions over every midnight; returns the events folder.
  static func data(in dir: String) throws -> String {
    var spec = GeneratorSpec()
    spec.seed = 26
    spec.visitors = 1200
    spec.days = days.count
    spec.formats = .jsonl
    spec.filesPerDay = 2
    spec.writeSessionsTruth = false
    try Generator.generate(spec, into: "\(dir)/data", gzip: true)
    return "\(dir)/data/segment"
  }

  /// The web pipeline keyed by device, with every path table complete (no support
  /// threshold, no top-N cut), so that each table row is a count over sessions.
  static func pipeline() throws -> LoadedPipeline {
    var loaded = try LoadedPipeline.load(path: "\(URLPath.packageRoot)/Pipelines/segment-web.json")
    loaded.spec.sessions.identity = .device
    loaded.spec.paths.minSupport = PathsSpec.Support(1)
    loaded.spec.paths.goalPaths.top = 0
    loaded.spec.paths.transitions.top = 0
    loaded.spec.paths.transitions.minCount = 1
    loaded.spec.paths.patterns.enabled = false
    return loaded
  }

  static func run(
    _ pipeline: LoadedPipeline, _ inputs: [String], out: String, date: String? = nil,
    state: String? = nil
  ) throws -> RunResult {
    try Runner.run(
      RunOptions(
        pipeline: pipeline, inputs: inputs, outputDirectory: out, threads: 2, date: date,
        statePath: state))
  }

  @Test func backfillPartitionsHoldEachSessionOnceAndAddUpToTheSingleRun() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let data = try Self.data(in: dir)
    let pipeline = try Self.pipeline()
    _ = try Self.run(pipeline, [data], out: "\(dir)/single")
    var held: [Int] = []
    for day in Self.days + [Self.closingDay] {
      let result = try Self.run(
        pipeline, [data], out: "\(dir)/nightly", date: day, state: "\(dir)/state")
      held.append(result.summary.sessionsHeld ?? -1)
    }
    // Every night but the closing one ends with sessions open over midnight.
    #expect(held.dropLast().allSatisfy { $0 >= 10 }, "held per night: \(held)")
    #expect(held.last == 0)
    try Self.expectPartitionsAddUp(
      nightly: "\(dir)/nightly", single: "\(dir)/single", state: "\(dir)/state")
  }

  @Test func cronNightsOnTheirOwnFilesAddUpToTheSingleRun() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let data = try Self.data(in: dir)
    let pipeline = try Self.pipeline()
    _ = try Self.run(pipeline, [data], out: "\(dir)/single")
    for day in Self.days {
      _ = try Self.run(
        pipeline, ["\(data)/events-\(day)-*.jsonl.gz"], out: "\(dir)/nightly", date: day,
        state: "\(dir)/state")
    }
    // The closing night has no files of its own yet: an empty one.
    try FileBytes.write([], to: "\(dir)/empty.jsonl")
    _ = try Self.run(
      pipeline, ["\(dir)/empty.jsonl"], out: "\(dir)/nightly", date: Self.closingDay,
      state: "\(dir)/state")
    try Self.expectPartitionsAddUp(
      nightly: "\(dir)/nightly", single: "\(dir)/single", state: "\(dir)/state")
  }

  /// A night's held sessions are in no partition until the night they close in.
  @Test func aNightWithoutItsClosingNightHoldsItsOpenSessions() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let data = try Self.data(in: dir)
    let pipeline = try Self.pipeline()
    _ = try Self.run(pipeline, [data], out: "\(dir)/single")
    for day in Self.days {
      _ = try Self.run(pipeline, [data], out: "\(dir)/nightly", date: day, state: "\(dir)/state")
    }
    let single = try PartitionTables.read("\(dir)/single")
    let nightly = try Self.days.map { try PartitionTables.read("\(dir)/nightly/dt=\($0)") }
    let published = Set(nightly.flatMap(\.sessions))
    #expect(published.count == nightly.reduce(0) { $0 + $1.sessions.count }, "no duplicates")
    #expect(published.isSubset(of: Set(single.sessions)))
    // What is missing is what the state holds: sessions that ran up to the last cut.
    let missing = Set(single.sessions).subtracting(published)
    let lastCut = try DayWindow(date: Self.days[Self.days.count - 1], timeZone: "UTC").end
    let state = try CustomerState.load(from: "\(dir)/state")
    let tails = SessionTails.Saved(state.sessionTails)
    #expect(tails.held)
    #expect(!missing.isEmpty)
    for row in missing {
      let cells = row.split(separator: ",", omittingEmptySubsequences: false)
      guard case .millis(let end) = TimestampParser.parse(String(cells[4]), format: .iso8601)
      else {
        Issue.record("end of \(row) does not parse")
        continue
      }
      #expect(lastCut - end <= 1_800_000, "\(row)")
      #expect(
        String(decoding: tails.next, as: UTF8.self).contains(String(cells[1])),
        "visitor of a held session in the tails: \(row)")
    }
  }

  /// The published sessions over all partitions (with the state after the closing night
  /// holding none) equal the single run's, and so do the additive tables and churn totals.
  static func expectPartitionsAddUp(nightly: String, single: String, state: String) throws {
    let reference = try PartitionTables.read(single)
    var parts: [PartitionTables] = []
    for day in days + [closingDay] {
      parts.append(try PartitionTables.read("\(nightly)/dt=\(day)"))
    }
    let total = PartitionTables.sum(parts)
    #expect(total.sessions.count == Set(total.sessions).count, "a session in two partitions")
    #expect(total.sessions.sorted() == reference.sessions.sorted())
    #expect(total.sessionCount == reference.sessionCount)
    #expect(total.goals == reference.goals)
    #expect(total.channels == reference.channels)
    #expect(total.journeys == reference.journeys)
    #expect(total.goalPaths == reference.goalPaths)
    #expect(total.funnels == reference.funnels)
    #expect(total.transitions == reference.transitions)
    #expect(!total.journeys.isEmpty && !total.funnels.isEmpty && !total.transitions.isEmpty)
    // Churn folded each session once: the last night's lifetime counts are the single run's.
    let lastCustomers = try PartitionTables.customerTotals("\(nightly)/dt=\(closingDay)")
    #expect(lastCustomers == (try PartitionTables.customerTotals(single)))
    #expect(SessionTails.Saved(try CustomerState.load(from: state).sessionTails).next.isEmpty)
  }
}
