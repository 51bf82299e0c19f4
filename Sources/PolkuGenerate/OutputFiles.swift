/// The files of one format: `days × filesPerDay` sinks, with lines shuffled in blocks.
///
/// Records are routed to a file by the UTC day of their time and a random shard, kept in
/// a per-file block of ``blockSize`` records, and written in a shuffled order when the
/// block fills, so lines inside a file are not sorted by time. All randomness comes from
/// the set's own generator, so the bytes depend only on the seed and the order of calls.
final class OutputFiles {
  /// One output file.
  final class File {
    let path: String
    let sink: any ByteSink
    var counts = LineCounts()
    let staging = ByteBuffer(capacity: 1 << 15)
    var starts: [Int] = []
    let out = ByteBuffer(capacity: 1 << 17)

    init(path: String, sink: any ByteSink) {
      self.path = path
      self.sink = sink
      starts.reserveCapacity(OutputFiles.blockSize + 1)
    }
  }

  static let blockSize = 64
  static let flushBytes = 1 << 17

  let days: Int
  let perDay: Int
  let startDay: Int64
  /// The end of the world (exclusive), Unix milliseconds.
  let endMs: Int64
  private(set) var files: [File] = []
  var rng: SplitMix64

  /// Opens every file (`<folder>/<stem>-<yyyy-MM-dd>-<shard>.<ext>`) and writes `header`
  /// (a CSV header line) at the top of each.
  init(
    folder: String, stem: String, ext: String, header: [UInt8]?, spec: GeneratorSpec,
    salt: UInt64, sinks: SinkFactory
  ) throws {
    days = spec.days
    perDay = spec.filesPerDay
    startDay = CivilTime.day(of: spec.startMs)
    endMs = spec.endMs
    rng = SplitMix64(seed: SplitMix64.mix(spec.seed ^ salt))
    for day in 0..<days {
      let date = CivilTime.dateString(days: startDay + Int64(day))
      for shard in 0..<perDay {
        let path = "\(folder)/\(stem)-\(date)-\(shard).\(ext)"
        let file = File(path: path, sink: try sinks(path))
        if let header {
          file.out.append(header)
          file.counts.lines += 1
        }
        files.append(file)
      }
    }
  }

  /// A random file of the day that contains `time` (clamped to the world).
  @inline(__always) func file(for time: Int64) -> Int {
    let day = Int(min(max(CivilTime.day(of: time) - startDay, 0), Int64(days - 1)))
    return day * perDay + (perDay == 1 ? 0 : rng.below(perDay))
  }

  /// Another file for a re-sent copy of a record in `file`: the next shard of the same
  /// day, else the same shard of a neighbouring day; nil when there is only one file.
  func otherFile(than file: Int) -> Int? {
    if perDay > 1 { return file - file % perDay + (file % perDay + 1) % perDay }
    if days > 1 { return file + perDay < files.count ? file + perDay : file - perDay }
    return nil
  }

  /// Adds one record (its bytes end with `\n`) to `file`, counting it as `kind`.
  func add(_ record: UnsafeBufferPointer<UInt8>, to index: Int, as kind: RecordKind) throws {
    let file = files[index]
    var newlines = 0
    for byte in record where byte == 10 { newlines += 1 }
    file.counts.lines += newlines
    file.counts.records += 1
    switch kind {
    case .accepted: file.counts.accepted += 1
    case .duplicate: file.counts.duplicates += 1
    case .bot: file.counts.botEvents += 1
    case .asset: file.counts.assetEvents += 1
    case .malformed(let reason): file.counts.malformed[reason, default: 0] += 1
    }
    file.starts.append(file.staging.count)
    file.staging.append(record)
    if file.starts.count == Self.blockSize { try release(file) }
  }

  /// Writes the staged block of `file` in a shuffled order.
  private func release(_ file: File) throws {
    let count = file.starts.count
    guard count > 0 else { return }
    file.starts.append(file.staging.count)
    var order = Array(0..<count)
    for index in stride(from: count - 1, to: 0, by: -1) {
      order.swapAt(index, rng.below(index + 1))
    }
    let base = file.staging.base
    for index in order {
      let from = file.starts[index]
      file.out.append(UnsafeBufferPointer(start: base + from, count: file.starts[index + 1] - from))
    }
    file.staging.removeAll()
    file.starts.removeAll(keepingCapacity: true)
    if file.out.count >= Self.flushBytes {
      try file.sink.write(file.out.bytes)
      file.out.removeAll()
    }
  }

  /// Flushes every block and closes every sink.
  func close() throws {
    for file in files {
      try release(file)
      if file.out.count > 0 { try file.sink.write(file.out.bytes) }
      file.out.removeAll()
      try file.sink.close()
    }
  }

  /// The sum of the counts of all files.
  var total: LineCounts {
    var total = LineCounts()
    for file in files { total.add(file.counts) }
    return total
  }
}
