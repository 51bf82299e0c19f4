/// The map outputs of a cluster run, read back: per input file (by its index in the run's
/// file list) its path, size, batch and bad rows, as ``MapPart`` wrote them.
///
/// Reading checks that the parts are whole: every file from 0 to the last index present
/// once, each ending with its `end` line and the counts it states. Anything else (a part
/// cut short, a file written twice, a line that is not a record) is an error that names
/// the part file and line, and the merge publishes nothing.
public struct MapParts: Sendable {
  /// Per file, in index order.
  public internal(set) var files: [String] = []
  var sizes: [Int] = []
  var batches: [FileBatch?] = []
  /// Per file, its `bad_rows.jsonl` lines (without line breaks), in line order.
  var badRows: [[[UInt8]]] = []

  public init() {}

  /// Reads every file whose name starts with `part-` under `folders` (Spark's text output
  /// folders), in name order.
  public static func read(folders: [String]) throws -> MapParts {
    var parts: [String] = []
    for folder in folders {
      let names = OutputFolder.entries(folder).filter { $0.hasPrefix("part-") }.sorted()
      parts += names.map { "\(folder)/\($0)" }
    }
    guard !parts.isEmpty else {
      throw PolkuError(
        .noInput, "no map outputs (part-* files) in \(folders.joined(separator: " "))")
    }
    var reader = MapPartReader()
    for part in parts { try reader.read(try FileBytes.read(part), from: part) }
    return try reader.finish()
  }
}

/// Reads ``MapPart`` lines one file at a time into ``MapParts``.
struct MapPartReader {
  /// Files read whole, by index.
  private var found: [Int: Open] = [:]

  /// The file being read: its index, path, size, whether an input matched it, and what
  /// was read of it so far.
  private struct Open {
    var index: Int
    var path: String
    var size: Int
    var matched: Bool
    var batch = FileBatch()
    var badRows: [[UInt8]] = []
  }

  mutating func read(_ bytes: [UInt8], from part: String) throws {
    var open: Open?
    var number = 0
    var start = 0
    while start < bytes.count {
      let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
      defer { start = end + 1 }
      guard end > start else { continue }
      number += 1
      func fail(_ why: String) -> PolkuError {
        PolkuError(.dataQuality, "\(part) line \(number): \(why); not a polku map output")
      }
      // Events are nearly every line: read them straight from the bytes.
      if bytes[start] == UInt8(ascii: "e"), end - start > 1, bytes[start + 1] == 32 {
        guard open != nil else { throw fail("a record outside a file") }
        guard
          let event = bytes.withUnsafeBufferPointer({
            MapPartReader.event(UnsafeBufferPointer(rebasing: $0[start..<end]))
          })
        else { throw fail("malformed 'e' record") }
        open?.batch.events.append(event)
        continue
      }
      let line = bytes[start..<end]
      let fields = line.split(separator: 32, maxSplits: 8, omittingEmptySubsequences: false)
      let tag = String(decoding: fields[0], as: UTF8.self)
      if tag == "file" {
        guard open == nil else { throw fail("a file starts before the last one ended") }
        guard fields.count == 5, let index = Int(MapPartReader.text(fields[1])),
          let size = Int(MapPartReader.text(fields[2])), index >= 0,
          let path = PercentText.decodeField(fields[4])
        else { throw fail("malformed file line") }
        guard found[index] == nil else { throw fail("file \(index) appears twice") }
        open = Open(
          index: index, path: String(decoding: path, as: UTF8.self), size: size,
          matched: MapPartReader.text(fields[3]) == "ok")
        continue
      }
      guard var file = open else { throw fail("a record outside a file") }
      open = nil
      if tag == "end" {
        guard fields.count == 4, Int(MapPartReader.text(fields[1])) == file.index,
          Int(MapPartReader.text(fields[2])) == file.batch.events.count,
          Int(MapPartReader.text(fields[3])) == file.badRows.count
        else { throw fail("file \(file.index) is not whole (its end line does not match)") }
        found[file.index] = file
        continue
      }
      guard MapPartReader.add(tag, fields, to: &file) else {
        throw fail("malformed '\(tag)' record")
      }
      open = file
    }
    if let open { throw PolkuError(.dataQuality, "\(part): file \(open.index) is cut short") }
  }

  /// Adds one record to the open file; false when it is malformed.
  private static func add(_ tag: String, _ fields: [ArraySlice<UInt8>], to file: inout Open) -> Bool
  {
    switch tag {
    case "t":
      guard fields.count == 3, let value = PercentText.decodeField(fields[2]) else { return false }
      value.withUnsafeBufferPointer { value in
        switch text(fields[1]) {
        case "i": _ = file.batch.tables.ids.intern(value)
        case "n": _ = file.batch.tables.names.intern(value)
        case "s": _ = file.batch.tables.sources.intern(value)
        default: _ = file.batch.tables.channels.intern(value)
        }
      }
      return true
    case "b":
      guard fields.count == 2, let row = PercentText.decodeField(fields[1]) else { return false }
      file.badRows.append(row)
      return true
    case "w":
      guard fields.count == 2, let warning = PercentText.decodeField(fields[1]) else {
        return false
      }
      file.batch.warnings.append(String(decoding: warning, as: UTF8.self))
      return true
    case "r":
      guard fields.count == 2 || fields.count == 4, let lines = Int(text(fields[1])) else {
        return false
      }
      var report = ReadReport(path: file.path, lines: lines)
      if fields.count == 4 {
        guard let offset = Int(text(fields[2])), let reason = PercentText.decodeField(fields[3])
        else { return false }
        report.damage = ReadDamage(offset: offset, reason: String(decoding: reason, as: UTF8.self))
      }
      file.batch.report = report
      return true
    case "c":
      guard let counters = counters(fields) else { return false }
      file.batch.counters = counters
      return true
    default:
      return false
    }
  }

  /// An `e` line's event, read field by field from its bytes; nil when malformed.
  static func event(_ line: UnsafeBufferPointer<UInt8>) -> Event? {
    guard line.count > 2, line[0] == UInt8(ascii: "e"), line[1] == 32 else { return nil }
    var at = 2
    func number(last: Bool = false) -> Int64? {
      var negative = false
      if at < line.count && line[at] == UInt8(ascii: "-") {
        negative = true
        at += 1
      }
      var value: Int64 = 0
      var digits = 0
      while at < line.count, line[at] >= 48, line[at] <= 57, digits < 18 {
        value = value * 10 + Int64(line[at] - 48)
        at += 1
        digits += 1
      }
      guard digits > 0, at < line.count, line[at] == 32 else { return nil }
      at += 1
      return negative ? -value : value
    }
    guard let time = number(), Event.timeRange.contains(time),
      let kindCode = number(), let kind = EventKind(rawValue: UInt8(clamping: kindCode)),
      kindCode <= 3, let channel = number(), (0...255).contains(channel),
      let anon = number(), let user = number(), let name = number(), let source = number(),
      let anonId = UInt32(exactly: anon), let userId = UInt32(exactly: user),
      let nameId = UInt32(exactly: name), let sourceId = UInt32(exactly: source)
    else { return nil }
    var hash: UInt64 = 0
    var digits = 0
    while at < line.count, digits < 16 {
      let byte = line[at]
      let value: UInt8
      switch byte {
      case 48...57: value = byte - 48
      case 97...102: value = byte - 87
      default: return nil
      }
      hash = hash << 4 | UInt64(value)
      at += 1
      digits += 1
    }
    guard digits > 0, at == line.count else { return nil }
    return Event(
      time: time, messageHash: hash, anonymousId: anonId, userId: userId, name: nameId,
      source: sourceId, channel: UInt8(channel), kind: kind)
  }

  private static func counters(_ fields: [ArraySlice<UInt8>]) -> IngestCounters? {
    guard fields.count == 7, let read = Int(text(fields[1])), let accepted = Int(text(fields[2])),
      let skipped = Int(text(fields[3])), let junk = Int(text(fields[4]))
    else { return nil }
    var counters = IngestCounters()
    counters.linesRead = read
    counters.accepted = accepted
    counters.skipped = skipped
    counters.junkIds = junk
    for pair in pairs(fields[5]) {
      guard let reason = BadRowReason(rawValue: pair.key), pair.value >= 0 else { return nil }
      counters.rejected[reason] = pair.value
    }
    for pair in pairs(fields[6]) {
      guard let reason = FilterReason(rawValue: pair.key), pair.value >= 0 else { return nil }
      counters.filtered[reason] = pair.value
    }
    return counters
  }

  /// `key=n,key=n` (or `-` for none) as pairs; a malformed pair has the count -1.
  private static func pairs(_ field: ArraySlice<UInt8>) -> [(key: String, value: Int)] {
    let list = text(field)
    guard list != "-" else { return [] }
    return list.split(separator: ",").map { pair in
      let parts = pair.split(separator: "=")
      return (String(parts.first ?? ""), parts.count == 2 ? Int(parts[1]) ?? -1 : -1)
    }
  }

  static func text(_ field: ArraySlice<UInt8>) -> String {
    String(decoding: field, as: UTF8.self)
  }

  /// Every file read, checked to run from index 0 without a gap.
  mutating func finish() throws -> MapParts {
    var parts = MapParts()
    for index in 0..<found.count {
      guard var file = found[index] else {
        let last = found.keys.max() ?? 0
        throw PolkuError(
          .dataQuality,
          "map outputs incomplete: file \(index) of \(last + 1) is missing; publishing nothing")
      }
      found[index] = nil
      parts.files.append(file.path)
      parts.sizes.append(file.size)
      parts.batches.append(file.matched ? file.batch : nil)
      parts.badRows.append(file.badRows)
      file = Open(index: 0, path: "", size: 0, matched: false)
    }
    return parts
  }
}
