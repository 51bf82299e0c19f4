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
  /// Per file, its content fingerprint as the map task saw the file (for `--state`).
  var fingerprints: [InputFingerprint] = []
  var batches: [FileBatch?] = []
  /// Per file, its `bad_rows.jsonl` lines (without line breaks), in line order.
  var badRows: [[[UInt8]]] = []

  public init() {}

  /// The events of every file.
  var eventCount: Int { batches.reduce(0) { $0 + ($1?.events.count ?? 0) } }

  /// Reads every file whose name starts with `part-` under `folders` (Spark's text output
  /// folders), in name order, `threads` parts at a time (each part on its own reader, the
  /// readers then combined in part order).
  public static func read(folders: [String], threads: Int = 1) throws -> MapParts {
    var parts: [String] = []
    for folder in folders {
      let names = OutputFolder.entries(folder).filter { $0.hasPrefix("part-") }.sorted()
      parts += names.map { "\(folder)/\($0)" }
    }
    guard !parts.isEmpty else {
      throw PolkuError(
        .noInput, "no map outputs (part-* files) in \(folders.joined(separator: " "))")
    }
    let partList = parts
    let readers = try parallelMap(count: parts.count, threads: threads) { index in
      var reader = MapPartReader()
      try reader.read(try FileBytes.read(partList[index]), from: partList[index])
      return reader
    }
    var all = MapPartReader()
    for (index, reader) in readers.enumerated() { try all.absorb(reader, from: parts[index]) }
    return try all.finish()
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
    var fingerprint: String
    var matched: Bool
    var batch = FileBatch()
    var badRows: [[UInt8]] = []
  }

  mutating func read(_ bytes: [UInt8], from part: String) throws {
    var open: Open?
    var scratch: [UInt8] = []
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
      // Event blocks are nearly all the bytes: read them straight from the bytes.
      if bytes[start] == UInt8(ascii: "E"), end - start > 1, bytes[start + 1] == 32 {
        // Taken out of `open` and put back, so the events are never copied.
        guard var file = open.take() else { throw fail("a record outside a file") }
        let read = bytes.withUnsafeBufferPointer {
          MapPartReader.events(
            UnsafeBufferPointer(rebasing: $0[start..<end]), into: &file.batch.events,
            scratch: &scratch)
        }
        open = file
        guard read else { throw fail("malformed 'E' record") }
        continue
      }
      let line = bytes[start..<end]
      let fields = line.split(separator: 32, maxSplits: 8, omittingEmptySubsequences: false)
      let tag = String(decoding: fields[0], as: UTF8.self)
      if tag == "file" {
        guard open == nil else { throw fail("a file starts before the last one ended") }
        guard fields.count == 7, let index = Int(MapPartReader.text(fields[1])),
          let size = Int(MapPartReader.text(fields[2])), index >= 0,
          let path = PercentText.decodeField(fields[6])
        else { throw fail("malformed file line") }
        let format = MapPartReader.text(fields[4])
        guard format == MapPart.formatVersion else {
          throw fail(
            "written by \(format), and this merge reads \(MapPart.formatVersion): run the map "
              + "with the same polku binary as the merge")
        }
        guard found[index] == nil else { throw fail("file \(index) appears twice") }
        open = Open(
          index: index, path: String(decoding: path, as: UTF8.self), size: size,
          fingerprint: MapPartReader.text(fields[5]),
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

  /// Appends an `E` line's events (`E <count> <base64>`) to `events`; false, with `events`
  /// as it was, when the line is malformed. `scratch` holds the decoded bytes.
  static func events(
    _ line: UnsafeBufferPointer<UInt8>, into events: inout [Event], scratch: inout [UInt8]
  ) -> Bool {
    guard line.count > 2, line[0] == UInt8(ascii: "E"), line[1] == 32 else { return false }
    var at = 2
    var count = 0
    while at < line.count, line[at] >= 48, line[at] <= 57, at < 8 {
      count = count * 10 + Int(line[at] - 48)
      at += 1
    }
    guard at > 2, count > 0, count <= EventBlock.size, at < line.count, line[at] == 32 else {
      return false
    }
    guard Base64.decode(UnsafeBufferPointer(rebasing: line[(at + 1)...]), into: &scratch) else {
      return false
    }
    return scratch.withUnsafeBufferPointer { EventBlock.unpack($0, count: count, into: &events) }
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

  /// Adds the files another reader read whole from `part`; a file already read from an
  /// earlier part is an error.
  mutating func absorb(_ other: consuming MapPartReader, from part: String) throws {
    for (index, file) in other.found {
      guard found[index] == nil else {
        throw PolkuError(
          .dataQuality,
          "\(part): file \(index) appears twice (also in an earlier part); not a polku map output"
        )
      }
      found[index] = file
    }
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
      parts.fingerprints.append(
        InputFingerprint(path: file.path, size: Int64(file.size), hash: file.fingerprint))
      parts.batches.append(file.matched ? file.batch : nil)
      parts.badRows.append(file.badRows)
      file = Open(index: 0, path: "", size: 0, fingerprint: "", matched: false)
    }
    return parts
  }
}
