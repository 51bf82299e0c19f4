/// Writes `sessions.csv`: one row per session, ordered by start time, then visitor.
///
/// Columns (a contract dashboards read; add at the end, never reorder): session_id,
/// visitor_key, user_id, start, end, duration_s, events, pageviews, channels (`;`-joined,
/// by name), entry_page, exit_page, source, goals (`;`-joined, in pipeline order), bounce.
/// `session_id` is a stable 16-hex-digit hash of the visitor key and the start time, so
/// the same session gets the same id in every run.
///
/// Rows are formatted in parallel per batch, as bytes (no String per row), then put in
/// order by one sort of (start, visitor) and a copy of each row.
enum SessionsTable {
  static let header = [
    "session_id", "visitor_key", "user_id", "start", "end", "duration_s", "events",
    "pageviews", "channels", "entry_page", "exit_page", "source", "goals", "bounce",
  ]

  static func build(_ run: SessionizedRun, threads: Int = 2) -> Table {
    let tables = run.tables
    let channelNames = (0..<min(tables.channels.count, 64)).map {
      tables.channels.string(UInt32($0))
    }
    let channelOrder = channelNames.indices.dropFirst().sorted {
      channelNames[$0] < channelNames[$1]
    }
    let goals = run.goals
    // Per batch: the rows as bytes, with each row's start offset.
    let parts: [(csv: CSVBuilder, offsets: [Int])] =
      (try? parallelMap(count: run.batches.count, threads: threads) { index in
        var csv = CSVBuilder(header: [])
        var offsets: [Int] = []
        var channelText: [UInt64: String] = [:]
        var goalText: [UInt64: String] = [:]
        offsets.reserveCapacity(run.batches[index].sessions.count + 1)
        for session in run.batches[index].sessions {
          offsets.append(csv.endOffset)
          csv.hexCell(sessionId(session, tables: tables))
          csv.cell(tables.ids, session.visitor.id)
          csv.cell(tables.ids, session.user)
          csv.timestampCell(session.start)
          csv.timestampCell(session.end)
          csv.cell(session.durationSeconds)
          csv.cell(Int(session.eventCount))
          csv.cell(Int(session.pageviews))
          let channels = session.channels
          if channelText[channels] == nil {
            channelText[channels] = channelOrder.filter { channels & (1 << UInt64($0)) != 0 }
              .map { channelNames[$0] }.joined(separator: ";")
          }
          csv.cell(channelText[channels] ?? "")
          csv.cell(tables.names, session.entryPage)
          csv.cell(tables.names, session.exitPage)
          csv.cell(tables.sources, session.source)
          let reached = session.goals
          if goalText[reached] == nil {
            goalText[reached] = goals.indices.filter { reached & (1 << UInt64($0)) != 0 }
              .map { goals[$0].name }.joined(separator: ";")
          }
          csv.cell(goalText[reached] ?? "")
          csv.cell(session.isBounce)
          csv.endRow()
        }
        offsets.append(csv.endOffset)
        return (csv, offsets)
      }) ?? []

    var order: [(start: Int64, key: UInt32, batch: Int32, index: Int32)] = []
    order.reserveCapacity(run.sessionCount)
    for (b, batch) in run.batches.enumerated() {
      for (s, session) in batch.sessions.enumerated() {
        order.append((session.start, session.visitor.raw, Int32(b), Int32(s)))
      }
    }
    order.sort { ($0.start, $0.key) < ($1.start, $1.key) }
    return Table(parts: parts, order: order.map { ($0.batch, $0.index) })
  }

  /// Formatted rows and the order to write them in.
  struct Table {
    var parts: [(csv: CSVBuilder, offsets: [Int])]
    var order: [(batch: Int32, index: Int32)]

    var rows: Int { order.count }

    /// Streams the file to `path` (no second copy of the rows) and returns its manifest
    /// entry, with the checksum computed on the way.
    func write(to path: String) throws -> Manifest.Output {
      let file = try BufferedFile(creating: path)
      var hasher = SHA256()
      var total = 0
      let header = CSVBuilder(header: SessionsTable.header).bytes
      hasher.update(header)
      try file.append(header)
      total += header.count
      var chunk: [UInt8] = []
      chunk.reserveCapacity(1 << 20)
      func flush() throws {
        hasher.update(chunk)
        try file.append(chunk)
        total += chunk.count
        chunk.removeAll(keepingCapacity: true)
      }
      for (batch, index) in order {
        let part = parts[Int(batch)]
        part.csv.bytes.withUnsafeBufferPointer { all in
          chunk.append(contentsOf: all[part.offsets[Int(index)]..<part.offsets[Int(index) + 1]])
        }
        if chunk.count >= 1 << 20 { try flush() }
      }
      try flush()
      try file.close()
      return Manifest.Output(
        file: "sessions.csv", rows: order.count, bytes: total, sha256: hasher.hexDigest())
    }
  }

  /// A stable id: FNV-1a 64 over the visitor key's kind, its bytes and the start time.
  static func sessionId(_ session: Session, tables: EventTables) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    h = (h ^ (session.visitor.isUser ? 0x75 : 0x61)) &* 0x100_0000_01b3
    tables.ids.withBytes(session.visitor.id) { bytes in
      for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }
    var start = UInt64(bitPattern: session.start)
    for _ in 0..<8 {
      h = (h ^ (start & 0xff)) &* 0x100_0000_01b3
      start >>= 8
    }
    return h
  }
}
