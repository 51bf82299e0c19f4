/// Writes `sessions.csv`: one row per session, ordered by start time, then visitor.
///
/// Columns (a contract dashboards read; add at the end, never reorder): session_id,
/// visitor_key, user_id, start, end, duration_s, events, pageviews, channels (`;`-joined,
/// by name), entry_page, exit_page, source, goals (`;`-joined, in pipeline order), bounce.
/// `session_id` is a stable 16-hex-digit hash of the visitor key and the start time, so
/// the same session gets the same id in every run.
enum SessionsTable {
  static let header = [
    "session_id", "visitor_key", "user_id", "start", "end", "duration_s", "events",
    "pageviews", "channels", "entry_page", "exit_page", "source", "goals", "bounce",
  ]

  static func build(_ run: SessionizedRun) -> CSVBuilder {
    var all: [(start: Int64, key: UInt32, batch: Int32, index: Int32)] = []
    all.reserveCapacity(run.sessionCount)
    for (b, batch) in run.batches.enumerated() {
      for (s, session) in batch.sessions.enumerated() {
        all.append((session.start, session.visitor.raw, Int32(b), Int32(s)))
      }
    }
    all.sort { ($0.start, $0.key) < ($1.start, $1.key) }
    let tables = run.tables
    let channelNames = (0..<min(tables.channels.count, 64)).map { tables.channels.string(UInt32($0)) }
    let channelOrder = channelNames.indices.dropFirst().sorted { channelNames[$0] < channelNames[$1] }
    var csv = CSVBuilder(header: header)
    for entry in all {
      let session = run.batches[Int(entry.batch)].sessions[Int(entry.index)]
      csv.cell(sessionId(session, tables: tables))
      csv.cell(tables.ids, session.visitor.id)
      csv.cell(tables.ids, session.user)
      csv.cell(TimestampParser.formatISO8601(session.start))
      csv.cell(TimestampParser.formatISO8601(session.end))
      csv.cell(session.durationSeconds)
      csv.cell(Int(session.eventCount))
      csv.cell(Int(session.pageviews))
      csv.cell(
        channelOrder.filter { session.channels & (1 << UInt64($0)) != 0 }.map {
          channelNames[$0]
        }.joined(separator: ";"))
      csv.cell(tables.names, session.entryPage)
      csv.cell(tables.names, session.exitPage)
      csv.cell(tables.sources, session.source)
      csv.cell(
        run.goals.indices.filter { session.goals & (1 << UInt64($0)) != 0 }.map {
          run.goals[$0].name
        }.joined(separator: ";"))
      csv.cell(session.isBounce)
      csv.endRow()
    }
    return csv
  }

  /// A stable id: FNV-1a 64 over the visitor key's kind, its bytes and the start time.
  static func sessionId(_ session: Session, tables: EventTables) -> String {
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
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
