/// The sessionise stage: keys, partitions by visitor, and per-partition sessions.
///
/// Memory: each file's chunk is taken (freed) once its events are bucketed by partition,
/// and each partition's buckets are taken once concatenated, so the stage holds about one
/// copy of the events at a time.
struct Sessionize {
  let spec: PipelineSpec
  let threads: Int

  struct Output {
    var run: SessionizedRun
    var duplicates: Int
    var identifyEvents: Int
    var stitcher: IdentityStitcher?
  }

  func run(events files: [EventChunk], tables: EventTables) throws -> Output {
    let stitcher: IdentityStitcher? =
      spec.sessions.identity == .stitched
      ? IdentityStitcher(events: files, idCount: tables.ids.count, threads: threads) : nil
    // At most 255 (partitions are stored as bytes while bucketing).
    let partitions = min(max(1, threads) * 8, 255)
    let goals = GoalMasks(goals: spec.goals, names: tables.names)

    // Per file: the key and partition of every event; identify calls only stitch.
    let buckets: [(chunks: [EventChunk], identify: Int)] = try parallelMap(
      count: files.count, threads: threads
    ) { index in
      // Two passes, so every bucket is allocated once at its exact size.
      let (input, _) = files[index].take()
      var partitionOf = [UInt8](repeating: 0, count: input.count)
      var inputKeys = [VisitorKey](repeating: VisitorKey(id: 0, isUser: false), count: input.count)
      var sizes = [Int](repeating: 0, count: partitions)
      var identify = 0
      for (position, event) in input.enumerated() {
        if event.kind == .identify {
          identify += 1
          partitionOf[position] = UInt8.max
          continue
        }
        let key = stitcher?.key(event) ?? IdentityStitcher.deviceKey(event)
        let partition = Sessionize.partition(of: key, count: partitions)
        partitionOf[position] = UInt8(partition)
        inputKeys[position] = key
        sizes[partition] += 1
      }
      var events = sizes.map { size -> [Event] in
        var bucket: [Event] = []
        bucket.reserveCapacity(size)
        return bucket
      }
      var keys = sizes.map { size -> [VisitorKey] in
        var bucket: [VisitorKey] = []
        bucket.reserveCapacity(size)
        return bucket
      }
      for position in input.indices where partitionOf[position] != UInt8.max {
        let partition = Int(partitionOf[position])
        events[partition].append(input[position])
        keys[partition].append(inputKeys[position])
      }
      return ((0..<partitions).map { EventChunk(events[$0], keys: keys[$0]) }, identify)
    }
    MemoryUsage.releaseFreeMemory()  // the files' chunks are free
    let sessionizer = Sessionizer(spec: spec.sessions, goals: goals)
    let outputs: [Sessionizer.Output] = try parallelMap(count: partitions, threads: threads) {
      partition in
      var events: [Event] = []
      var keys: [VisitorKey] = []
      let total = buckets.reduce(0) { $0 + $1.chunks[partition].events.count }
      events.reserveCapacity(total)
      keys.reserveCapacity(total)
      for bucket in buckets {
        let taken = bucket.chunks[partition].take()
        events += taken.events
        keys += taken.keys
      }
      let output = sessionizer.run(events: events, keys: keys)
      // The partition's buckets are free now; give their memory back before the next
      // partition allocates its sorted copy (glibc keeps freed heap blocks otherwise).
      MemoryUsage.releaseFreeMemory()
      return output
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
