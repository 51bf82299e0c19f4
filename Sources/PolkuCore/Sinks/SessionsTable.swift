/// Writes `sessions.csv`: one row per session, ordered by start time, then visitor key
/// (its bytes, then anonymous before user).
///
/// Columns (a contract dashboards read; add at the end, never reorder): session_id,
/// visitor_key, user_id, start, end, duration_s, events, pageviews, channels (`;`-joined,
/// by name), entry_page, exit_page, source, goals (`;`-joined, in pipeline order), bounce.
/// `session_id` is a stable 16-hex-digit hash of the visitor key and the start time, so
/// the same session gets the same id in every run.
///
/// The file is streamed: rows are sorted first, then formatted in parallel chunks and
/// appended in order (see ``write(_:to:threads:)``).
enum SessionsTable {
  static let header = [
    "session_id", "visitor_key", "user_id", "start", "end", "duration_s", "events",
    "pageviews", "channels", "entry_page", "exit_page", "source", "goals", "bounce",
  ]

  /// Rows formatted per unit of parallel work.
  static let chunkRows = 1 << 15

  /// Writes the table to `path` and returns its manifest entry, with the checksum
  /// computed on the way. Text cells are guarded against formulas unless
  /// `guardingFormulas` is false (``CSVBuilder``).
  ///
  /// Rows are put in order first (one sort of (start, visitor) over all batches), then
  /// formatted in chunks of ``chunkRows``, `threads` chunks at a time, and appended in
  /// order: the file is never held in memory, only a few chunks of it.
  static func write(
    _ run: SessionizedRun, to path: String, threads: Int, guardingFormulas: Bool = true
  ) throws -> Manifest.Output {
    let order = rowOrder(run)
    let formatter = RowFormatter(run: run, guardingFormulas: guardingFormulas)
    let file = try BufferedFile(creating: path)
    var hasher = SHA256()
    var total = 0
    func emit(_ bytes: [UInt8]) throws {
      hasher.update(bytes)
      try file.append(bytes)
      total += bytes.count
    }
    try emit(CSVBuilder(header: header, guardingFormulas: guardingFormulas).bytes)
    let chunks = (order.count + chunkRows - 1) / chunkRows
    var next = 0
    while next < chunks {
      let first = next
      let round = min(max(1, threads) * 2, chunks - first)
      let parts = try parallelMap(count: round, threads: threads) { offset in
        let start = (first + offset) * chunkRows
        return formatter.rows(order[start..<min(start + chunkRows, order.count)])
      }
      for part in parts { try emit(part) }
      next += round
    }
    try file.close()
    return Manifest.Output(
      file: "sessions.csv", rows: order.count, bytes: total, sha256: hasher.hexDigest())
  }

  /// A row to write: where its session is, and the session's id.
  typealias Row = (batch: Int32, index: Int32, id: UInt64)

  /// Every session as (batch, index, session id), ordered by start time, then visitor key
  /// (by its text, then anonymous before user: not by id, since ids follow the order
  /// files were merged in).
  ///
  /// The ids are computed here, in storage order: a batch keeps a visitor's sessions
  /// together, so the visitor's bytes are hashed once per visitor rather than looked up
  /// again, far from the last look, for every row.
  ///
  /// Sorted by two stable radix sorts, by visitor key and then by start.
  static func rowOrder(_ run: SessionizedRun) -> [Row] {
    var rows: [Row] = []
    var visitors: [UInt64] = []
    var starts: [Int64] = []
    rows.reserveCapacity(run.sessionCount)
    visitors.reserveCapacity(run.sessionCount)
    starts.reserveCapacity(run.sessionCount)
    let ids = run.tables.ids
    let ranks = utf8Ranks(of: ids)
    for (b, batch) in run.batches.enumerated() {
      var visitor: VisitorKey?
      var prefix: UInt64 = 0
      for (s, session) in batch.sessions.enumerated() {
        if session.visitor != visitor {
          visitor = session.visitor
          prefix = sessionIdPrefix(session.visitor, ids: ids)
        }
        rows.append((Int32(b), Int32(s), sessionId(prefix: prefix, start: session.start)))
        visitors.append(
          UInt64(ranks[Int(session.visitor.id)]) << 1 | (session.visitor.isUser ? 1 : 0))
        starts.append(session.start)
      }
    }
    guard rows.count > 1, let first = starts.min() else { return rows }
    var positions = (0..<UInt32(rows.count)).map { $0 }
    RadixSort.sortPairs(&visitors, &positions)
    // Offsets from the earliest start: exact for any two Int64 starts.
    var offsets = positions.map { UInt64(bitPattern: starts[Int($0)] &- first) }
    RadixSort.sortPairs(&offsets, &positions)
    return positions.map { rows[Int($0)] }
  }

  /// Formats rows as bytes (no String per row).
  struct RowFormatter: Sendable {
    let run: SessionizedRun
    let channelNames: [String]
    let channelOrder: [Int]
    let guardingFormulas: Bool

    init(run: SessionizedRun, guardingFormulas: Bool) {
      self.run = run
      self.guardingFormulas = guardingFormulas
      let tables = run.tables
      channelNames = (0..<min(tables.channels.count, 64)).map {
        tables.channels.string(UInt32($0))
      }
      channelOrder = channelNames.indices.dropFirst().sorted { [channelNames] in
        channelNames[$0] < channelNames[$1]
      }
    }

    /// The rows of `order`'s sessions, in that order.
    ///
    /// Rows are in time order, sessions in visitor order, so every row reads a session and
    /// its ids from far apart. The sessions are gathered in a tight loop first: their loads
    /// do not depend on each other, so the CPU overlaps the cache misses instead of taking
    /// them one row at a time.
    func rows(_ order: ArraySlice<Row>) -> [UInt8] {
      let tables = run.tables
      let goals = run.goals
      let batches = run.batches
      // Locals, so the mask closures below capture two arrays, not a copy of `self` (the
      // whole run) to retain and release on every row.
      let channelNames = channelNames
      let channelOrder = channelOrder
      let sessions = order.map { batches[Int($0.batch)].sessions[Int($0.index)] }
      let sessionIds = order.map(\.id)
      var csv = CSVBuilder(
        reservingCapacity: order.count * 160, guardingFormulas: guardingFormulas)
      var channelText = MaskTexts()
      var goalText = MaskTexts()
      let ids = tables.ids
      for (row, session) in sessions.enumerated() {
        // The visitor and user ids of rows ahead are far apart in the id table: load
        // their entries 16 rows ahead and their bytes 8 rows ahead, so the misses overlap.
        if row + 16 < sessions.count {
          ids.prefetchEntry(sessions[row + 16].visitor.id)
          ids.prefetchEntry(sessions[row + 16].user)
        }
        if row + 8 < sessions.count {
          ids.prefetchBytes(sessions[row + 8].visitor.id)
          ids.prefetchBytes(sessions[row + 8].user)
        }
        csv.hexCell(sessionIds[row])
        csv.cell(ids, session.visitor.id)
        csv.cell(ids, session.user)
        csv.timestampCell(session.start)
        csv.timestampCell(session.end)
        csv.cell(session.durationSeconds)
        csv.cell(Int(session.eventCount))
        csv.cell(Int(session.pageviews))
        let channels = session.channels
        channelText.withText(channels) {
          channelOrder.filter { channels & (1 << UInt64($0)) != 0 }
            .map { channelNames[$0] }.joined(separator: ";")
        } use: {
          csv.cell(bytes: $0)
        }
        csv.cell(tables.names, session.entryPage)
        csv.cell(tables.names, session.exitPage)
        csv.cell(tables.sources, session.source)
        let reached = session.goals
        goalText.withText(reached) {
          goals.indices.filter { reached & (1 << UInt64($0)) != 0 }
            .map { goals[$0].name }.joined(separator: ";")
        } use: {
          csv.cell(bytes: $0)
        }
        csv.cell(session.isBounce)
        csv.endRow()
      }
      return csv.bytes
    }
  }

  /// The text of each bit mask met (channels, goals), made once per mask: a few masks
  /// cover almost every row, so the first sixteen are kept in a short list rather
  /// than hashed for every row.
  struct MaskTexts {
    private var masks: [UInt64] = []
    private var texts: [[UInt8]] = []
    private var more: [UInt64: [UInt8]] = [:]

    mutating func withText(
      _ mask: UInt64, make: () -> String, use: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
      for at in masks.indices where masks[at] == mask {
        texts[at].withUnsafeBufferPointer(use)
        return
      }
      if let text = more[mask] {
        text.withUnsafeBufferPointer(use)
        return
      }
      let text = Array(make().utf8)
      if masks.count < 16 {
        masks.append(mask)
        texts.append(text)
      } else {
        more[mask] = text
      }
      text.withUnsafeBufferPointer(use)
    }
  }

  /// A session's stable id is FNV-1a 64 over the visitor key's kind, its bytes and the
  /// start time: this is the state after the kind and the bytes.
  static func sessionIdPrefix(_ visitor: VisitorKey, ids: SymbolTable) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    h = (h ^ (visitor.isUser ? 0x75 : 0x61)) &* 0x100_0000_01b3
    ids.withBytes(visitor.id) { bytes in
      for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }
    return h
  }

  /// The id from ``sessionIdPrefix(_:ids:)`` and the session's start.
  static func sessionId(prefix: UInt64, start: Int64) -> UInt64 {
    var h = prefix
    var start = UInt64(bitPattern: start)
    for _ in 0..<8 {
      h = (h ^ (start & 0xff)) &* 0x100_0000_01b3
      start >>= 8
    }
    return h
  }
}
