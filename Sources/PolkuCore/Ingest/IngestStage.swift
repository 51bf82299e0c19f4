import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The ingest stage: input files → events and the string tables their ids point into.
///
/// Files are read in parallel, largest first (a large file read last would run alone),
/// one ``FileIngest`` each; their string tables are merged in that order by a
/// ``TableMerger`` while later files are still being read, and each file's ids are then
/// remapped to the merged tables. Ids depend only on file sizes and contents, never on
/// the thread count. Rejected lines go to one `bad_rows.N.part` per file in `staging`.
struct IngestStage: Stage {
  static let name = "ingest"

  let spec: PipelineSpec
  let threads: Int
  /// The run's staging folder: per-file bad-row parts go there.
  let staging: String
  /// `--date`: events outside the day are filtered (`outside_date`).
  let window: DayWindow?
  /// Called from worker threads with (compressed bytes read so far, total bytes).
  let progress: (@Sendable (Int, Int) -> Void)?
  /// `--memory-limit`: reading stops once the accepted events would not fit.
  var memoryLimit: MemoryLimit? = nil
  /// A backfill's profiles: files known to have no record on `window`'s day are not read.
  var profiles: FileProfiles?

  /// What ingest read.
  struct Output: Sendable {
    /// One chunk per input file, ids in `tables`.
    var events: [EventChunk]
    var tables: EventTables
    var counters: IngestCounters
    /// Per input file, in input order.
    var inputs: [InputStatus]
    var warnings: [String]
    /// Per input file, its bad-row part (written or not) in input order.
    var badRowFiles: [String]
    /// Files not read, their profile standing in (see ``FileProfiles``).
    var filesNotRead = 0
  }

  func run(_ files: consuming [String]) throws -> Output {
    let files = copy files
    let spec = self.spec
    let staging = self.staging
    let window = self.window
    let sizes = files.map { InputFiles.size(of: $0) ?? 0 }
    let totalBytes = sizes.reduce(0, +)
    let readSoFar = Atomic<Int>(0)
    let progress = self.progress
    let order = IngestStage.largestFirst(sizes)
    let merger = TableMerger(order: order)
    let pageCache = PageNameCache()
    let budget = memoryLimit.map(EventBudget.init)
    let profiles = self.profiles
    let notRead = Atomic<Int>(0)
    let batches: [FileBatch?] = try parallelMap(
      count: files.count, threads: threads, order: order
    ) { index in
      let path = files[index]
      guard let input = IngestStage.input(for: path, in: spec.inputs) else {
        merger.add(nil, file: index)
        return nil
      }
      let badRows = try BufferedFile(creating: "\(staging)/bad_rows.\(index).part")
      let stamp = profiles == nil ? nil : FileStamp(path: path)
      if let profiles, let window, let stamp,
        let profile = profiles.profile(of: path, stamp: stamp), !profile.touches(window)
      {
        if !profile.badRows.isEmpty { try badRows.append(profile.badRows) }
        try badRows.close()
        profiles.countSkipped()
        notRead.add(1, ordering: .relaxed)
        let total = readSoFar.wrappingAdd(sizes[index], ordering: .relaxed).newValue
        progress?(total, totalBytes)
        var batch = profile.batch(input: input)
        merger.add(batch.tables, file: index)
        batch.tables = EventTables()
        return batch
      }
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
        pageCache: pageCache, budget: budget, profiling: stamp
      ).run(badRows: badRows, progress: report)
      try badRows.close()
      if let profile = batch.profile {
        profiles?.record(profile, for: path)
        batch.profile = nil
      }
      merger.add(batch.tables, file: index)
      batch.tables = EventTables()
      return batch
    }

    var output = IngestStage.combine(
      batches, files: files, sizes: sizes, merged: merger.finish(), spec: spec, threads: threads,
      staging: staging)
    output.filesNotRead = notRead.load(ordering: .relaxed)
    return output
  }

  /// The stage's output from every file's batch (in file index order; nil for a file no
  /// input matched) and their tables merged in read order: counters added, one status per
  /// file, warnings, and each file's events moved into a chunk with their ids remapped to
  /// the merged tables.
  ///
  /// `polku run` calls it once its files are read; `polku merge` with the batches that map
  /// tasks read on a cluster, so both produce the same events and ids.
  static func combine(
    _ batches: consuming [FileBatch?], files: [String], sizes: [Int],
    merged: TableMerger.Merged, spec: PipelineSpec, threads: Int, staging: String
  ) -> Output {
    var batches = batches
    let tables = merged.tables
    var counters = IngestCounters()
    var inputs: [InputStatus] = []
    var warnings: [String] = []
    for (index, batch) in batches.enumerated() {
      let path = files[index]
      let bytes = sizes[index]
      guard let batch else {
        inputs.append(
          InputStatus(path: path, input: "", bytes: bytes, status: .skipped, lines: 0))
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
          path: path, input: IngestStage.input(for: path, in: spec.inputs)?.name ?? "",
          bytes: bytes, status: damage == nil ? .ok : .damaged,
          lines: batch.report?.lines ?? 0,
          damage: damage.map { "byte \($0.offset): \($0.reason)" }))
    }
    let channelCount = tables.channels.count
    let remaps = merged.maps
    // Move each file's events into a chunk and drop the batches, so remapping ids below
    // works in place instead of on a copy.
    let chunks = batches.map { EventChunk($0?.events ?? []) }
    batches = []
    _ = try? parallelMap(count: chunks.count, threads: threads) { index in
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
