/// The sessionise stage: events → sessions, per visitor and in time order.
///
/// Identify calls stitch anonymous ids to users (``IdentityStitcher``, with `identity:
/// stitched`); every other event is keyed by visitor, scattered into partitions by a
/// hash of the key, and each partition is sorted and cut into sessions by a
/// ``Sessionizer`` on its own worker.
///
/// Events go from the files' chunks straight into one buffer per partition, at offsets
/// worked out from a first counting pass, together with the sort entries
/// (`key << 32 | position`) the sessioniser starts from. Each file's chunk is taken (freed)
/// once scattered, and each partition's buffer is freed once its events are sorted, so the
/// stage holds about one copy of the events at a time, and no event is copied twice on
/// the way.
struct SessionizeStage: Stage {
  static let name = "sessionize"

  let spec: PipelineSpec
  let threads: Int
  /// Keep each batch's open session tails (``Sessionizer/keepsTails``), for `--state`.
  var keepsTails = false

  /// Every event of the run: one chunk per input file (plus one of events carried from
  /// `--state`, last), ids in `tables`.
  struct Input: Sendable {
    var events: [EventChunk]
    var tables: EventTables
  }

  /// The sessions and what sessionising counted.
  struct Output: Sendable {
    var run: SessionizedRun
    var duplicates: Int
    var identifyEvents: Int
    var stitcher: IdentityStitcher?
  }

  func run(_ input: consuming Input) throws -> Output {
    let files = input.events
    let tables = input.tables
    let stitcher: IdentityStitcher? =
      spec.sessions.identity == .stitched
      ? IdentityStitcher(events: files, idCount: tables.ids.count, threads: threads) : nil
    let partitions = max(1, threads) * 8
    let goals = GoalMasks(goals: spec.goals, names: tables.names)
    @Sendable @inline(__always) func key(_ event: Event) -> VisitorKey {
      stitcher?.key(event) ?? IdentityStitcher.deviceKey(event)
    }

    // Per file, how many of its events go to each partition; identify calls only stitch.
    // The scatter below works each key out again (an array read) rather than keeping 5
    // bytes per event between the passes.
    let counts: [(sizes: [Int], identify: Int)] = try parallelMap(
      count: files.count, threads: threads
    ) { index in
      var sizes = [Int](repeating: 0, count: partitions)
      var identify = 0
      for event in files[index].events {
        if event.kind == .identify {
          identify += 1
          continue
        }
        sizes[SessionizeStage.partition(of: key(event), count: partitions)] += 1
      }
      return (sizes, identify)
    }
    // Each file writes its events of a partition after those of the files before it, in
    // input order: the same layout for any number of threads.
    var totals = [Int](repeating: 0, count: partitions)
    var fileStarts: [[Int]] = []
    for count in counts {
      fileStarts.append(totals)
      for partition in 0..<partitions { totals[partition] += count.sizes[partition] }
    }
    let starts = fileStarts
    let buffers = PartitionBuffers(sizes: totals)
    _ = try parallelMap(count: files.count, threads: threads) { index in
      let input = files[index].take()
      var next = starts[index]
      let ends = (0..<partitions).map { next[$0] + counts[index].sizes[$0] }
      for event in input where event.kind != .identify {
        let key = key(event)
        let partition = SessionizeStage.partition(of: key, count: partitions)
        let position = next[partition]
        // Never past the room counted for this file (the buffers are raw memory).
        precondition(position < ends[partition], "Sessionize: scatter does not match count")
        next[partition] = position + 1
        buffers.events[partition][position] = event
        buffers.packed[partition][position] = UInt64(key.raw) << 32 | UInt64(position)
      }
      precondition(next == ends, "Sessionize: scatter does not match count")
    }
    MemoryUsage.releaseFreeMemory()  // the files' chunks are free
    let sessionizer = Sessionizer(spec: spec.sessions, goals: goals, keepsTails: keepsTails)
    // No malloc_trim after each partition: since batches keep 16-byte events it no longer
    // lowered the peak (20 M events, 2 threads), and it cost ~0.35 s of this stage.
    let outputs: [Sessionizer.Output] = try parallelMap(count: partitions, threads: threads) {
      partition in
      buffers.sessionize(partition, with: sessionizer)
    }
    return Output(
      run: SessionizedRun(tables: tables, goals: spec.goals, batches: outputs.map(\.batch)),
      duplicates: outputs.reduce(0) { $0 + $1.duplicates },
      identifyEvents: counts.reduce(0) { $0 + $1.identify },
      stitcher: stitcher)
  }

  /// A stable partition for a key (Fibonacci hashing of the raw key).
  static func partition(of key: VisitorKey, count: Int) -> Int {
    Int((UInt64(key.raw) &* 0x9E37_79B9_7F4A_7C15) >> 32) % count
  }
}
