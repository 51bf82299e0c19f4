import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The ingest stage over all input files: parallel per file, largest files first, tables
/// merged in that order.
struct Ingest {
  let options: RunOptions
  let files: [String]
  let staging: String
  let window: DayWindow?

  struct Output {
    /// One chunk per input file, ids in `tables`.
    var events: [EventChunk]
    var tables: EventTables
    var counters: IngestCounters
    var inputs: [InputStatus]
    var warnings: [String]
    var badRowFiles: [String]
  }

  func run() throws -> Output {
    let spec = options.pipeline.spec
    let sizes = files.map { InputFiles.size(of: $0) ?? 0 }
    let totalBytes = sizes.reduce(0, +)
    let readSoFar = Atomic<Int>(0)
    let progress = options.progress
    let order = Ingest.largestFirst(sizes)
    let merger = TableMerger(order: order)
    let pageCache = PageNameCache()
    var batches: [FileBatch?] = try parallelMap(
      count: files.count, threads: options.threads, order: order
    ) { index in
      let path = files[index]
      guard let input = Ingest.input(for: path, in: spec.inputs) else {
        merger.add(nil, file: index)
        return nil
      }
      let badRows = try BufferedFile(creating: "\(staging)/bad_rows.\(index).part")
      var last = 0
      let report: ((Int) -> Void)? =
        progress.map { progress in
          { bytes in
            let total = readSoFar.wrappingAdd(bytes - last, ordering: .relaxed).newValue
            last = bytes
            progress(total, totalBytes)
          }
        }
      var batch = try FileIngest(
        pipeline: spec, input: input, path: path, window: window,
        pageCache: pageCache
      ).run(badRows: badRows, progress: report)
      try badRows.close()
      merger.add(batch.tables, file: index)
      batch.tables = EventTables()
      return batch
    }

    let (tables, maps) = merger.finish()
    var counters = IngestCounters()
    var inputs: [InputStatus] = []
    var warnings: [String] = []
    for (index, batch) in batches.enumerated() {
      let path = files[index]
      let bytes = sizes[index]
      guard let batch else {
        inputs.append(
          InputStatus(path: path, input: "", bytes: bytes, status: "skipped", lines: 0))
        warnings.append("\(path): skipped, no input in the pipeline matches its name")
        continue
      }
      counters.merge(batch.counters)
      warnings += batch.warnings
      let damage = batch.report?.damage
      if let damage {
        warnings.append("\(path): damaged at byte \(damage.offset): \(damage.reason)")
      }
      inputs.append(
        InputStatus(
          path: path, input: Ingest.input(for: path, in: spec.inputs)?.name ?? "",
          bytes: bytes, status: damage == nil ? "ok" : "damaged",
          lines: batch.report?.lines ?? 0,
          damage: damage.map { "byte \($0.offset): \($0.reason)" }))
    }
    let channelCount = tables.channels.count
    let remaps = maps
    // Move each file's events into a chunk and drop the batches, so remapping ids below
    // works in place instead of on a copy.
    let chunks = batches.map { EventChunk($0?.events ?? []) }
    batches = []
    _ = try parallelMap(count: chunks.count, threads: options.threads) { index in
      var events = chunks[index].take()
      let map = remaps[index]
      guard !map.ids.isEmpty else { return }
      for position in events.indices {
        events[position].anonymousId = map.ids[Int(events[position].anonymousId)]
        events[position].userId = map.ids[Int(events[position].userId)]
        events[position].name = map.names[Int(events[position].name)]
        events[position].source = map.sources[Int(events[position].source)]
        let channel = map.channels[Int(events[position].channel)]
        events[position].channel = UInt8(truncatingIfNeeded: min(channel, 255))
      }
      chunks[index].put(events)
    }
    if channelCount > 64 {
      warnings.append("more than 63 channels; sessions list only the first 63")
    }
    return Output(
      events: chunks, tables: tables, counters: counters, inputs: inputs, warnings: warnings,
      badRowFiles: files.indices.map { "\(staging)/bad_rows.\($0).part" })
  }

  /// File indices by size, largest first (ties in input order): the order files are read
  /// and their tables merged in.
  ///
  /// Taken in input order, a large file near the end of the list runs alone while the
  /// other workers have nothing left; largest first, the files read last are the small
  /// ones. The order depends only on the sizes, so ids are the same for any thread count.
  static func largestFirst(_ sizes: [Int]) -> [Int] {
    sizes.indices.sorted { (sizes[$0], $1) > (sizes[$1], $0) }
  }

  /// The first input whose `files` glob matches the file's base name.
  static func input(for path: String, in inputs: [InputSpec]) -> InputSpec? {
    let base = path.split(separator: "/").last.map(String.init) ?? path
    return inputs.first { input in
      guard let pattern = input.files else { return true }
      return fnmatch(pattern, base, 0) == 0
    }
  }
}

/// Merges the files' string tables into the run's tables in a fixed order (the order the
/// files are read in) while ingest is still running: a finished file's tables are
/// absorbed as soon as every file before it in that order has been, by whichever worker
/// gets there, so the merge overlaps the reading of later files instead of running alone
/// at the end. Ids depend only on the merge order.
final class TableMerger: Sendable {
  typealias IdMaps = (ids: [UInt32], names: [UInt32], sources: [UInt32], channels: [UInt32])

  private struct Pending {
    /// Per file, by index.
    var tables: [EventTables?]
    var ready: [Bool]
    /// The position in `order` of the next file to merge.
    var next = 0
  }

  private struct Merged {
    var tables = EventTables()
    /// Per file; nil until merged.
    var maps: [IdMaps?]
    var mergedCount = 0
  }

  private let pending: Mutex<Pending>
  private let merged: Mutex<Merged>
  /// File indices in merge order.
  private let order: [Int]

  /// A merger for `order.count` files, merged in `order` (a permutation of their indices).
  init(order: [Int]) {
    self.order = order
    let files = order.count
    pending = Mutex(
      Pending(
        tables: Array(repeating: nil, count: files), ready: Array(repeating: false, count: files)))
    merged = Mutex(Merged(maps: Array(repeating: nil, count: files)))
  }

  /// Hands over file `file`'s tables (nil for a file no input matches).
  func add(_ tables: EventTables?, file: Int) {
    pending.withLock {
      $0.tables[file] = tables
      $0.ready[file] = true
    }
    mergeReady()
  }

  /// The merged tables and, per file (in file index order), the map from its ids to the
  /// merged ones (empty for a skipped file). Call after every file was added.
  func finish() -> (EventTables, [IdMaps]) {
    mergeReady()
    return merged.withLock { merged in
      precondition(merged.mergedCount == order.count, "TableMerger: a file was not merged")
      let result = (merged.tables, merged.maps.map { $0! })
      merged = Merged(maps: [])
      return result
    }
  }

  private func mergeReady() {
    // One merger at a time; a file that becomes ready meanwhile is picked up by the
    // merger's next look, or by `finish()`.
    _ = merged.withLockIfAvailable { merged in
      while let (file, tables) = pending.withLock({ state -> (Int, EventTables?)? in
        guard state.next < order.count else { return nil }
        let file = order[state.next]
        guard state.ready[file] else { return nil }
        let tables = state.tables[file]
        state.tables[file] = nil
        state.next += 1
        return (file, tables)
      }) {
        merged.mergedCount += 1
        guard let tables else {
          merged.maps[file] = ([], [], [], [])
          continue
        }
        merged.maps[file] = (
          merged.tables.ids.absorb(tables.ids), merged.tables.names.absorb(tables.names),
          merged.tables.sources.absorb(tables.sources),
          merged.tables.channels.absorb(tables.channels)
        )
      }
    }
  }
}
