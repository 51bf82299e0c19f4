/// Everything ingest produced from one input file.
struct FileBatch: Sendable {
  var events: [Event] = []
  var tables = EventTables()
  var counters = IngestCounters()
  var report: ReadReport?
  /// Missing mapped CSV columns, reported once per file.
  var warnings: [String] = []
  /// With ``FileIngest/profiling``: what the read tells about nights outside the file.
  var profile: FileProfile?
}

/// Reads one input file into events: inflate, split lines, parse, build, quarantine.
///
/// Rejected lines are appended to `badRows` as JSON Lines (`file`, `line`, `reason`,
/// `raw` cut to `quality.bad_row_bytes`) in line order.
struct FileIngest {
  let pipeline: PipelineSpec
  let input: InputSpec
  let path: String
  let window: DayWindow?
  /// Shared by every file of the run.
  let pageCache: PageNameCache
  /// The run's memory budget, when it has one (not in map tasks, which hold one file).
  var budget: EventBudget? = nil
  /// Where the bytes are, when not at `path` (which names the file in every report): a
  /// map task's local copy of a file on a remote filesystem.
  var readPath: String? = nil
  /// Set (to the file's stamp) to also record the file's ``FileProfile`` (for a backfill).
  var profiling: FileStamp?

  func run(badRows: BufferedFile, progress: ((Int) -> Void)?) throws -> FileBatch {
    var batch: FileBatch
    switch input.format {
    case .jsonl:
      var parser = JSONLinesParser(paths: input.fieldMap)
      batch = try run(&parser, badRows: badRows, progress: progress)
    case .csv, .tsv:
      var parser = CSVParser(
        delimiter: input.format == .csv ? UInt8(ascii: ",") : 9, columns: input.fieldMap)
      batch = try run(&parser, badRows: badRows, progress: progress)
      if !parser.missingColumns.isEmpty {
        batch.warnings.append(
          "\(path): header lacks mapped column(s) "
            + parser.missingColumns.joined(separator: ", "))
      }
    case .accessLog:
      let visitor: AccessLogVisitor =
        switch input.visitor {
        case .host: .host
        case .hostUserAgent: .hostAndUserAgent
        case .cookie: .cookie(input.cookie)
        }
      var parser = AccessLogParser(visitor: visitor)
      batch = try run(&parser, badRows: badRows, progress: progress)
    }
    batch.profile?.warnings = batch.warnings
    return batch
  }

  /// The ingest loop, specialised for each parser type.
  private func run<Parser: LineParser>(
    _ parser: inout Parser, badRows: BufferedFile, progress: ((Int) -> Void)?
  ) throws -> FileBatch {
    var loop = IngestLoop(
      parser: parser,
      builder: try EventBuilder(
        input: input, pipeline: pipeline, window: window,
        pageCache: pageCache),
      badRows: badRows, path: path, maxBad: pipeline.quality.badRowBytes,
      maxLineBytes: pipeline.quality.maxLineBytes,
      expectedBytes: ReadableFile.expectedTextBytes(path: readPath ?? path), budget: budget)
    loop.profiling = profiling != nil
    var report = try LineReader.readLines(
      path: readPath ?? path, maxLineBytes: pipeline.quality.maxLineBytes, progress: progress
    ) { line, number, status in
      try loop.consume(line, number, status)
    }
    try loop.finish()
    try loop.account()
    report.path = path
    parser = loop.parser
    var batch = FileBatch()
    loop.counters.junkIds = loop.builder.junkIdsSeen
    // The events live until sessionising: keep them in an exact-size array unless the
    // capacity sized from the file's expected length is already close.
    if loop.events.capacity - loop.events.count <= loop.events.count / 32 {
      batch.events = loop.events
    } else {
      batch.events = Array(unsafeUninitializedCapacity: loop.events.count) { buffer, count in
        count = buffer.initialize(fromContentsOf: loop.events)
      }
    }
    loop.events = []
    batch.tables = loop.builder.tables
    batch.counters = loop.counters
    batch.report = report
    if let profiling {
      var outside = IngestCounters()
      outside.linesRead = loop.counters.linesRead
      outside.skipped = loop.counters.skipped
      outside.rejected = loop.untimedRejected
      if loop.builder.timedRecords > 0 {
        outside.filtered[.outsideDate] = loop.builder.timedRecords
      }
      batch.profile = FileProfile(
        stamp: profiling, earliest: loop.builder.earliest, latest: loop.builder.latest,
        counters: outside, badRows: loop.untimedRows, report: report, warnings: [])
    }
    return batch
  }
}

/// The per-line work of ``FileIngest``: parse, build, quarantine. All its state is in one
/// value, so the line callback touches one captured variable.
private struct IngestLoop<Parser: LineParser> {
  var parser: Parser
  var builder: EventBuilder
  let badRows: BufferedFile
  let path: String
  let maxBad: Int
  let maxLineBytes: Int
  var fields = RecordFields()
  var counters = IngestCounters()
  var events: [Event] = []
  /// The text length the file is expected to have (see ``ReadableFile/expectedTextBytes``)
  /// and the text seen so far: after the first lines, `events` is sized for the whole file
  /// once, instead of doubling (and copying) its way there.
  let expectedBytes: Int?
  var bytesSeen = 0
  /// A CSV record continued over lines, and its first line number.
  var pending: [UInt8] = []
  var pendingLine = 0
  var writeError: (any Error)?
  /// The run's memory budget, and the events of this file already counted against it.
  let budget: EventBudget?
  var accounted = 0
  /// Whether to keep, besides, the lines rejected before their time was known (the bad
  /// rows of every night, for ``FileProfile``).
  var profiling = false
  var untimedRows: [UInt8] = []
  var untimedRejected: [BadRowReason: Int] = [:]

  init(
    parser: Parser, builder: EventBuilder, badRows: BufferedFile, path: String, maxBad: Int,
    maxLineBytes: Int, expectedBytes: Int?, budget: EventBudget?
  ) {
    self.budget = budget
    self.expectedBytes = expectedBytes
    self.parser = parser
    self.builder = builder
    self.badRows = badRows
    self.path = path
    self.maxBad = maxBad
    self.maxLineBytes = maxLineBytes
    events.reserveCapacity(1 << 14)
  }

  mutating func consume(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ status: LineStatus)
    throws
  {
    counters.linesRead += 1
    bytesSeen &+= line.count &+ 1
    if number & 0x1fff == 0 {
      try Cancellation.check()
      try account()
      if number == 1 << 15 { reserveForWholeFile() }
    }
    if status == .tooLong {
      if !pending.isEmpty {
        reject(.invalidCSV, UnsafeBufferPointer(start: nil, count: 0), pendingLine)
        pending.removeAll()
      }
      reject(.lineTooLong, line, number)
      return
    }
    if !pending.isEmpty {
      var joined = pending
      joined.append(10)
      joined.append(contentsOf: line)
      let startLine = pendingLine
      pending.removeAll(keepingCapacity: true)
      if joined.count > maxLineBytes {
        reject(.lineTooLong, UnsafeBufferPointer(start: nil, count: 0), startLine)
        return
      }
      joined.withUnsafeBufferPointer { handle($0, startLine) }
      return
    }
    handle(line, number)
    if let writeError { throw writeError }
  }

  /// Counts the events accepted since the last call against the run's budget.
  mutating func account() throws {
    guard let budget else { return }
    try budget.take(events.count - accounted)
    accounted = events.count
  }

  /// Sizes `events` for the whole file, from the events per byte of the lines so far.
  private mutating func reserveForWholeFile() {
    guard let expectedBytes, bytesSeen > 0, expectedBytes > bytesSeen else { return }
    let perByte = Double(events.count) / Double(bytesSeen)
    let estimate = Int(perByte * Double(expectedBytes) * 1.01) + 1024
    if estimate > events.capacity { events.reserveCapacity(estimate) }
  }

  /// Rejects a record left open at the end of the file.
  mutating func finish() throws {
    if !pending.isEmpty {
      let open = pending
      open.withUnsafeBufferPointer { reject(.invalidCSV, $0, pendingLine) }
    }
    if let writeError { throw writeError }
  }

  private mutating func handle(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) {
    fields.reset()
    switch parser.parse(line, into: &fields) {
    case .skip:
      counters.skipped += 1
    case .needsMore:
      pending = Array(line)
      pendingLine = number
    case .bad(let reason):
      reject(reason, line, number)
    case .record:
      switch builder.build(fields) {
      case .event(let event):
        events.append(event)
        counters.accepted += 1
      case .filtered(let filter):
        counters.filtered[filter, default: 0] += 1
      case .bad(let reason):
        reject(reason, line, number, timed: !FileProfile.precedesTime(reason))
      }
    }
  }

  /// `timed`: rejected after the record's time was known (by the event builder).
  private mutating func reject(
    _ reason: BadRowReason, _ raw: UnsafeBufferPointer<UInt8>, _ number: Int,
    timed: Bool = false
  ) {
    counters.rejected[reason, default: 0] += 1
    var row: [UInt8] = []
    row.reserveCapacity(min(raw.count, maxBad) + 128)
    row.append(contentsOf: Array(#"{"file":"#.utf8))
    JSONText.appendString(path, to: &row)
    row.append(
      contentsOf: Array(#","line":\#(number),"reason":"\#(reason.rawValue)","raw":"#.utf8))
    JSONText.appendString(UnsafeBufferPointer(rebasing: raw.prefix(maxBad)), to: &row)
    row.append(contentsOf: Array("}\n".utf8))
    if profiling && !timed {
      untimedRows += row
      untimedRejected[reason, default: 0] += 1
    }
    do { try badRows.append(row) } catch { writeError = error }
  }
}
