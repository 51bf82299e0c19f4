import Testing

@testable import PolkuCore

/// The mergeable-partial contract: partials computed per part and merged in part order
/// give the result of one pass, whatever the parts and the threads.
@Suite struct AggregationTests {
  /// SampleData's sessions (the omnichannel pipeline) through the ingest and sessionise
  /// stages.
  static func sampleRun() throws -> SessionizedRun {
    let root = IngestTestKit.packageRoot
    let staging = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(staging) }
    let spec = try LoadedPipeline.load(path: "\(root)/Pipelines/omnichannel.json").spec
    let files = try InputFiles.resolve([
      "\(root)/SampleData/segment", "\(root)/SampleData/touchpoints",
    ])
    let ingested = try IngestStage(
      spec: spec, threads: 2, staging: staging, window: nil, progress: nil
    ).run(files)
    return try SessionizeStage(spec: spec, threads: 2).run(
      SessionizeStage.Input(events: ingested.events, tables: ingested.tables)
    ).run
  }

  @Test(arguments: [1, 2, 7, 64])
  func sessionStatsMergeToOnePass(parts: Int) throws {
    let run = try Self.sampleRun()
    let all = run.batches.flatMap(\.sessions)
    try #require(all.count > 1000)
    let stats = SessionStats(idCount: run.tables.ids.count, goalCount: run.goals.count)
    let whole = stats.aggregate([all], threads: 1)
    // Cut anywhere, inside a visitor's sessions too.
    let cuts = (0...parts).map { all.count * $0 / parts }
    let split = (0..<parts).map { Array(all[cuts[$0]..<cuts[$0 + 1]]) }
    #expect(Self.differences(stats.aggregate(split, threads: 3), whole) == [])
    #expect(Self.differences(stats.aggregate(run.batches.map(\.sessions), threads: 2), whole) == [])

    #expect(whole.sessions == all.count)
    #expect(whole.visitors == Set(all.map(\.visitor)).count)
    #expect(whole.users == Set(all.map(\.user).filter { $0 != 0 }).count)
    let sorted = all.map(\.durationSeconds).sorted()
    #expect(whole.durations.percentile(0.5) == Self.nearestRank(sorted, 0.5))
    #expect(whole.durations.percentile(0.9) == Self.nearestRank(sorted, 0.9))
    #expect(whole.durations.sum == sorted.reduce(0, +))
    #expect(whole.events == all.reduce(0) { $0 + Int($1.eventCount) })
    #expect(whole.first == all.map(\.start).min() && whole.last == all.map(\.end).max())
    for goal in run.goals.indices {
      #expect(whole.perGoal[goal] == all.filter { $0.goals & (1 << goal) != 0 }.count)
    }
  }

  /// The nearest-rank percentile of sorted values, as summary.json defines it.
  static func nearestRank(_ sorted: [Int64], _ fraction: Double) -> Int64 {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((fraction * Double(sorted.count)).rounded(.up))
    return sorted[max(0, min(sorted.count - 1, rank - 1))]
  }

  @Test(arguments: [Int64(86_400), Int64(UInt32.max) + 1])
  func durationCountsGiveTheSortedListsPercentiles(largest: Int64) {
    var generator = SplitMix(state: UInt64(largest))
    var durations = (0..<50_000).map { _ in Int64(generator.next() % 7_200) }
    durations += [0, largest, 1, largest, 7, -3, 70_000, 65_535, 65_536]
    var whole = DurationCounts()
    var halves = [DurationCounts(), DurationCounts()]
    for (index, duration) in durations.enumerated() {
      whole.add(duration)
      halves[index % 2].add(duration)
    }
    halves[0].merge(halves[1])
    #expect(halves[0] == whole)
    let sorted = durations.sorted()
    for fraction in [0.0, 0.1, 0.5, 0.9, 0.999, 1.0] {
      #expect(whole.percentile(fraction) == Self.nearestRank(sorted, fraction), "\(fraction)")
    }
    #expect(whole.count == durations.count && whole.sum == durations.reduce(0, +))
    #expect(DurationCounts().percentile(0.5) == 0)
  }

  /// The names of the fields in which `a` and `b` differ (short messages on failure).
  static func differences(_ a: SessionStats.Result, _ b: SessionStats.Result) -> [String] {
    let fields: [(String, Bool)] = [
      ("sessions", a.sessions == b.sessions), ("visitors", a.visitors == b.visitors),
      ("users", a.users == b.users), ("events", a.events == b.events),
      ("bounces", a.bounces == b.bounces), ("durations", a.durations == b.durations),
      ("perChannel", a.perChannel == b.perChannel), ("perGoal", a.perGoal == b.perGoal),
      ("first", a.first == b.first), ("last", a.last == b.last),
    ]
    return fields.filter { !$0.1 }.map(\.0)
  }

  /// Records the order partials were merged in.
  struct Trail: Mergeable {
    var parts: [Int]
    mutating func merge(_ other: consuming Trail) { parts += other.parts }
  }

  @Test(arguments: [1, 2, 5])
  func partialsMergeInPartOrder(threads: Int) {
    let merged = mergeInOrder(parts: 200, threads: threads, into: Trail(parts: [-1])) { index in
      // Uneven work, so later parts often finish first.
      var spin = 0
      for step in 0..<((200 - index) * 500) { spin &+= step }
      return Trail(parts: spin == -1 ? [] : [index])
    }
    #expect(merged.parts == [-1] + Array(0..<200))
  }

  @Test func ingestCountersAdd() {
    var a = IngestCounters()
    a.linesRead = 10
    a.rejected[.invalidJSON] = 2
    a.filtered[.bot] = 1
    var b = IngestCounters()
    b.linesRead = 5
    b.rejected[.invalidJSON] = 1
    b.rejected[.missingVisitor] = 4
    b.filtered[.outsideDate] = 3
    a.merge(b)
    #expect(a.linesRead == 15 && a.rejectedTotal == 7)
    #expect(a.rejected == [.invalidJSON: 3, .missingVisitor: 4])
    #expect(a.filtered == [.bot: 1, .outsideDate: 3])
  }
}
