/// Everything ingest produced from one input file.
struct FileBatch: Sendable {
  var events: [Event] = []
  var tables = EventTables()
  var counters = IngestCounters()
  var report: ReadReport?
  /// A message when the file could not be read at all.
  var failure: String?
  /// Missing mapped CSV columns, reported once per file.
  var warnings: [String] = []
}

/// Reads one input file into events: inflate, split lines, parse, build, quarantine.
///
/// Rejected lines are appended to `badRows` as JSON Lines (`file`, `line`, `reason`,
/// `raw` cut to `quality.bad_row_bytes`) in line order.
struct FileIngest {
  let pipeline: PipelineSpec
  let input: InputSpec
  let path: String
  let fileIndex: UInt16
  let window: DayWindow?

  func run(badRows: BufferedFile, progress: ((Int) -> Void)?) throws -> FileBatch {
    var batch = FileBatch()
    var builder = try EventBuilder(
      input: input, pipeline: pipeline, fileIndex: fileIndex, window: window)
    var parser = makeParser()
    var fields = RecordFields()
    var pending: [UInt8] = []  // a CSV record continued over lines
    var pendingLine = 0
    let maxBad = pipeline.quality.badRowBytes
    var counters = IngestCounters()
    var events: [Event] = []
    events.reserveCapacity(1 << 14)
    var writeError: (any Error)?

    func reject(_ reason: BadRowReason, _ raw: UnsafeBufferPointer<UInt8>, _ number: Int) {
      counters.rejected[reason, default: 0] += 1
      var row: [UInt8] = []
      row.reserveCapacity(min(raw.count, maxBad) + 128)
      row.append(contentsOf: Array(#"{"file":"#.utf8))
      JSONText.appendString(path, to: &row)
      row.append(
        contentsOf: Array(#","line":\#(number),"reason":"\#(reason.rawValue)","raw":"#.utf8))
      JSONText.appendString(UnsafeBufferPointer(rebasing: raw.prefix(maxBad)), to: &row)
      row.append(contentsOf: Array("}\n".utf8))
      do { try badRows.append(row) } catch { writeError = error }
    }

    func handle(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) {
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
        switch builder.build(fields, line: number) {
        case .event(let event):
          events.append(event)
          counters.accepted += 1
        case .filtered(let filter):
          counters.filtered[filter, default: 0] += 1
        case .bad(let reason):
          reject(reason, line, number)
        }
      }
    }

    let report = try LineReader.readLines(
      path: path, maxLineBytes: pipeline.quality.maxLineBytes, progress: progress
    ) { line, number, status in
      counters.linesRead += 1
      if number & 0x1fff == 0 { try Cancellation.check() }
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
        if joined.count > pipeline.quality.maxLineBytes {
          reject(.lineTooLong, UnsafeBufferPointer(start: nil, count: 0), startLine)
          return
        }
        joined.withUnsafeBufferPointer { handle($0, startLine) }
        return
      }
      handle(line, number)
      if let writeError { throw writeError }
    }
    if !pending.isEmpty {
      pending.withUnsafeBufferPointer { reject(.invalidCSV, $0, pendingLine) }
    }
    if let writeError { throw writeError }
    counters.junkIds = builder.junkIdsSeen
    // Growth by doubling leaves up to half of the array unused; the events live until
    // sessionising, so keep an exact-size copy.
    batch.events = Array(unsafeUninitializedCapacity: events.count) { buffer, count in
      count = buffer.initialize(fromContentsOf: events)
    }
    batch.tables = builder.tables
    batch.counters = counters
    batch.report = report
    if let csv = parser as? CSVParser, !csv.missingColumns.isEmpty {
      batch.warnings.append(
        "\(path): header lacks mapped column(s) \(csv.missingColumns.joined(separator: ", "))")
    }
    return batch
  }

  private func makeParser() -> any LineParser {
    switch input.format {
    case .jsonl:
      return JSONLinesParser(paths: input.fieldMap)
    case .csv:
      return CSVParser(delimiter: UInt8(ascii: ","), columns: input.fieldMap)
    case .tsv:
      return CSVParser(delimiter: 9, columns: input.fieldMap)
    case .accessLog:
      let visitor: AccessLogVisitor =
        switch input.visitor {
        case .host: .host
        case .hostUserAgent: .hostAndUserAgent
        case .cookie: .cookie(input.cookie)
        }
      return AccessLogParser(visitor: visitor)
    }
  }
}
