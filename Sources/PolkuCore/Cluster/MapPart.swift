/// One input file's ingest result as a map task writes it (`polku worker map`) and
/// `polku merge` reads it back (``MapParts``): text lines, one record each, fields
/// separated by one space, free text as `=` and the text %-escaped (``PercentText``), so the
/// lines pass through Spark's script transform and text files unchanged.
///
/// ```
/// file <index> <size> ok|skipped =<path>    first line of a file
/// t i|n|s|c =<value>                         ids, names, sources, channels, in id order from 1
/// e <time> <kind> <channel> <anon> <user> <name> <source> <message hash, 16 hex digits>
/// b =<bad_rows.jsonl line>                   in line order
/// w =<warning>
/// r <lines> [<damage offset> =<damage reason>]
/// c <read> <accepted> <skipped> <junk ids> <reason=n,… or -> <filter=n,… or ->
/// end <index> <events> <bad rows>            last line: counts to check the file is whole
/// ```
///
/// Events keep the file's own ids and their order, so the merge rebuilds exactly the batch
/// ingest had, and merges the files' tables as `polku run` does.
enum MapPart {
  /// Appends file `index`'s lines to `out`; `batch` is nil for a file no input matched.
  static func write(
    index: Int, path: String, size: Int, batch: FileBatch?, badRows: [[UInt8]],
    to out: inout [UInt8]
  ) {
    func line(_ text: String) { out += Array(text.utf8) }
    line("file \(index) \(size) \(batch == nil ? "skipped" : "ok") ")
    PercentText.appendField(path, to: &out)
    out.append(10)
    guard let batch else {
      line("end \(index) 0 0\n")
      return
    }
    let tables = [
      ("i", batch.tables.ids), ("n", batch.tables.names), ("s", batch.tables.sources),
      ("c", batch.tables.channels),
    ]
    for (tag, table) in tables {
      for id in 1..<max(table.count, 1) {
        line("t \(tag) ")
        table.withBytes(UInt32(id)) { PercentText.appendField($0, to: &out) }
        out.append(10)
      }
    }
    for event in batch.events { appendEvent(event, to: &out) }
    for row in badRows {
      line("b ")
      row.withUnsafeBufferPointer { PercentText.appendField($0, to: &out) }
      out.append(10)
    }
    for warning in batch.warnings {
      line("w ")
      PercentText.appendField(warning, to: &out)
      out.append(10)
    }
    line("r \(batch.report?.lines ?? 0)")
    if let damage = batch.report?.damage {
      line(" \(damage.offset) ")
      PercentText.appendField(damage.reason, to: &out)
    }
    out.append(10)
    let counters = batch.counters
    let rejected = counters.rejected.sorted { $0.key.rawValue < $1.key.rawValue }
      .map { "\($0.key.rawValue)=\($0.value)" }
    let filtered = counters.filtered.sorted { $0.key.rawValue < $1.key.rawValue }
      .map { "\($0.key.rawValue)=\($0.value)" }
    line(
      "c \(counters.linesRead) \(counters.accepted) \(counters.skipped) \(counters.junkIds) "
        + "\(rejected.isEmpty ? "-" : rejected.joined(separator: ",")) "
        + "\(filtered.isEmpty ? "-" : filtered.joined(separator: ","))\n")
    line("end \(index) \(batch.events.count) \(badRows.count)\n")
  }

  /// The most an `e` line takes: `e `, seven numbers of up to 20 characters with a space
  /// after each, 16 hex digits and the line break.
  private static let eventLineRoom = 2 + 7 * 21 + 16 + 1

  /// Appends event `event`'s `e` line, its numbers written in place (no text per event).
  static func appendEvent(_ event: Event, to out: inout [UInt8]) {
    let start = out.count
    out.append(contentsOf: repeatElement(0, count: eventLineRoom))
    let length = out.withUnsafeMutableBufferPointer { buffer -> Int in
      guard let base = buffer.baseAddress else { return 0 }
      var at = base + start
      at[0] = UInt8(ascii: "e")
      at += 1
      func number(_ value: Int64) {
        at[0] = 32
        at += 1 + writeDecimal(value, at: at + 1)
      }
      number(event.time)
      number(Int64(event.kind.rawValue))
      number(Int64(event.channel))
      number(Int64(event.anonymousId))
      number(Int64(event.userId))
      number(Int64(event.name))
      number(Int64(event.source))
      at[0] = 32
      writeHex16(event.messageHash, at: at + 1)
      at[17] = 10
      return at + 18 - (base + start)
    }
    out.removeLast(eventLineRoom - length)
  }
}
