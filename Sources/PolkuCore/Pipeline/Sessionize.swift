/// The sessionise stage: keys, partitions by visitor, and per-partition sessions.
struct Sessionize {
  let spec: PipelineSpec
  let threads: Int

  struct Output {
    var run: SessionizedRun
    var duplicates: Int
    var identifyEvents: Int
    var stitcher: IdentityStitcher?
  }

  func run(events files: [[Event]], tables: EventTables) throws -> Output {
    let stitcher: IdentityStitcher? =
      spec.sessions.identity == .stitched
      ? IdentityStitcher(events: files, idCount: tables.ids.count) : nil
    let partitions = max(1, threads) * 8
    let goals = GoalMasks(goals: spec.goals, names: tables.names)

    // Per file: the key and partition of every event; identify calls only stitch.
    struct Buckets: Sendable {
      var events: [[Event]]
      var keys: [[VisitorKey]]
      var identify = 0
    }
    let buckets: [Buckets] = try parallelMap(count: files.count, threads: threads) { index in
      var result = Buckets(
        events: Array(repeating: [], count: partitions),
        keys: Array(repeating: [], count: partitions))
      for event in files[index] {
        if event.kind == .identify {
          result.identify += 1
          continue
        }
        let key = stitcher?.key(event) ?? IdentityStitcher.deviceKey(event)
        let partition = Sessionize.partition(of: key, count: partitions)
        result.events[partition].append(event)
        result.keys[partition].append(key)
      }
      return result
    }
    let sessionizer = Sessionizer(spec: spec.sessions, goals: goals)
    let outputs: [Sessionizer.Output] = try parallelMap(count: partitions, threads: threads) {
      partition in
      var events: [Event] = []
      var keys: [VisitorKey] = []
      let total = buckets.reduce(0) { $0 + $1.events[partition].count }
      events.reserveCapacity(total)
      keys.reserveCapacity(total)
      for bucket in buckets {
        events += bucket.events[partition]
        keys += bucket.keys[partition]
      }
      return sessionizer.run(events: events, keys: keys)
    }
    return Output(
      run: SessionizedRun(tables: tables, goals: spec.goals, batches: outputs.map(\.batch)),
      duplicates: outputs.reduce(0) { $0 + $1.duplicates },
      identifyEvents: buckets.reduce(0) { $0 + $1.identify },
      stitcher: stitcher)
  }

  /// A stable partition for a key (Fibonacci hashing of the raw key).
  static func partition(of key: VisitorKey, count: Int) -> Int {
    Int((UInt64(key.raw) &* 0x9E37_79B9_7F4A_7C15) >> 32) % count
  }
}
