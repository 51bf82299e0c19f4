/// One input file's ingest result as a map task writes it (`polku worker map`) and
/// `polku merge` reads it back (``MapParts``): text lines, one record each, fields
/// separated by one space, free text as `=` and the text %-escaped (``PercentText``), so the
/// lines pass through Spark's script transform and text files unchanged.
///
/// ```
/// file <index> <size> ok|skipped <format> <fingerprint> =<path>   first line of a file
/// t i|n|s|c =<value>                         ids, names, sources, channels, in id order from 1
/// E <count> <events, packed (EventBlock), in base64>  up to 512 events a line
/// b =<bad_rows.jsonl line>                   in line order
/// w =<warning>
/// r <lines> [<damage offset> =<damage reason>]
/// c <read> <accepted> <skipped> <junk ids> <reason=n,… or -> <filter=n,… or ->
/// end <index> <events> <bad rows>            last line: counts to check the file is whole
/// ```
///
/// Events keep the file's own ids and their order, so the merge rebuilds exactly the batch
/// ingest had, and merges the files' tables as `polku run` does. `<format>` names the
/// record format and the polku version that wrote it: the merge refuses outputs of another
/// (a worker binary on the cluster older or newer than the driver's). `<fingerprint>` is
/// the file's content fingerprint (``InputFiles/fingerprint(_:)``), which `--state`
/// records: the merge need not see the file.
enum MapPart {
  /// This binary's map output format: `polku-<version>/<record format>`.
  static let formatVersion = "polku-\(PolkuVersion.current)/3"

  /// Appends file `index`'s lines to `out`; `batch` is nil for a file no input matched.
  static func write(
    index: Int, path: String, size: Int, fingerprint: String, batch: FileBatch?,
    badRows: [[UInt8]], to out: inout [UInt8]
  ) {
    func line(_ text: String) { out += Array(text.utf8) }
    let status = batch == nil ? "skipped" : "ok"
    line("file \(index) \(size) \(status) \(formatVersion) \(fingerprint) ")
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
    appendEvents(batch.events, to: &out)
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

  /// Appends `E` lines of `events`, ``EventBlock/size`` events a line.
  static func appendEvents(_ events: [Event], to out: inout [UInt8]) {
    var packed: [UInt8] = []
    var start = 0
    // Room for all of them at once (about 27 bytes an event): reserving per line would
    // reallocate the whole part for every line, as reserveCapacity grows to exactly what
    // is asked.
    out.reserveCapacity(out.count + events.count * 32)
    while start < events.count {
      let end = min(start + EventBlock.size, events.count)
      packed.removeAll(keepingCapacity: true)
      EventBlock.pack(events[start..<end], into: &packed)
      out += Array("E \(end - start) ".utf8)
      packed.withUnsafeBufferPointer { Base64.append($0, to: &out) }
      out.append(10)
      start = end
    }
  }
}
