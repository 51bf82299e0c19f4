/// The anonymous ids nightly runs with `identity: stitched` and `--state` have seen: which
/// user each turned out to be, when it was first and last seen, and how many sessions
/// were published under the anonymous id before it was identified.
///
/// A night stitches with the identify calls it reads, so an anonymous visitor who
/// identifies on a later night stays anonymous in the earlier partitions. This table
/// (`identities.csv` each night, `identities.tsv` in the state) lets a dashboard re-key
/// them, and tells each night how many earlier sessions its newly identified visitors had.
///
/// State format (text, tab-separated, one anonymous id per line, sorted by id bytes):
/// `anonymous_id  user_id  first_seen_ms  last_seen_ms  identified_at_ms  anonymous_sessions`;
/// `user_id` is empty and `identified_at_ms` 0 until the id is identified; tabs, newlines,
/// CR and `%` in ids are %-encoded.
public struct IdentityTable: Sendable, Equatable {
  /// One anonymous id.
  public struct Entry: Sendable, Equatable {
    /// The user it maps to (the latest one seen with it); empty while anonymous.
    public var userId: String = ""
    /// Its first and last event, ms since the epoch (UTC).
    public var firstSeen: Int64
    public var lastSeen: Int64
    /// The cut of the night that first identified it (ms); 0 while anonymous.
    public var identifiedAt: Int64 = 0
    /// Sessions published under the anonymous id (before it was identified).
    public var anonymousSessions = 0
  }

  /// By anonymous id.
  public var entries: [String: Entry] = [:]

  public init() {}

  /// What one night adds to the table.
  public struct Night: Sendable {
    /// First and last event time per anonymous id seen tonight.
    public var seen: [String: (first: Int64, last: Int64)] = [:]
    /// The user each anonymous id seen with one tonight maps to.
    public var userOf: [String: String] = [:]
    /// Sessions published tonight under an anonymous id.
    public var anonymousSessions: [String: Int] = [:]
    /// The night's cut (ms).
    public var cut: Int64 = 0

    public init() {}
  }

  /// Visitors identified tonight and their sessions published on earlier nights.
  public struct Identified: Sendable, Equatable {
    public var visitors = 0
    public var earlierSessions = 0
  }

  /// The table after `night`, and what it identified. Re-applying the night folded last
  /// (a re-run: `rerun`) leaves the table as it is and reports the same.
  public func applying(_ night: Night, rerun: Bool, windowDays: Int) -> (
    table: IdentityTable, identified: Identified
  ) {
    var identified = Identified()
    for (anonymousId, _) in night.userOf {
      guard let entry = entries[anonymousId] else { continue }
      if entry.userId.isEmpty || (rerun && entry.identifiedAt == night.cut) {
        identified.visitors += 1
        identified.earlierSessions += entry.anonymousSessions
      }
    }
    identified.visitors += night.userOf.keys.count { entries[$0] == nil }
    guard !rerun else { return (self, identified) }
    var next = self
    for (anonymousId, times) in night.seen {
      var entry =
        next.entries[anonymousId] ?? Entry(firstSeen: times.first, lastSeen: times.last)
      entry.firstSeen = min(entry.firstSeen, times.first)
      entry.lastSeen = max(entry.lastSeen, times.last)
      if let user = night.userOf[anonymousId] {
        if entry.userId.isEmpty { entry.identifiedAt = night.cut }
        entry.userId = user
      }
      entry.anonymousSessions += night.anonymousSessions[anonymousId] ?? 0
      next.entries[anonymousId] = entry
    }
    // Anonymous ids never identified are kept for the churn window only.
    let horizon = night.cut - Int64(windowDays) * 86_400_000
    next.entries = next.entries.filter { !$0.value.userId.isEmpty || $0.value.lastSeen > horizon }
    return (next, identified)
  }

  /// `identities.csv`: the identified anonymous ids, sorted by id (text cells guarded
  /// against spreadsheet formulas unless `guardingFormulas` is false).
  public func csv(guardingFormulas: Bool) -> OutputFile {
    var builder = CSVBuilder(
      header: ["anonymous_id", "user_id", "first_seen", "last_seen", "identified_at"],
      guardingFormulas: guardingFormulas)
    for (anonymousId, entry) in sortedEntries where !entry.userId.isEmpty {
      builder.cell(anonymousId)
      builder.cell(entry.userId)
      builder.timestampCell(entry.firstSeen)
      builder.timestampCell(entry.lastSeen)
      builder.timestampCell(entry.identifiedAt)
      builder.endRow()
    }
    return OutputFile(name: "identities.csv", builder)
  }

  /// The entries in byte order of their ids (each id's bytes made once, not per compare).
  private var sortedEntries: [(String, Entry)] {
    var keyed = entries.map { (bytes: Array($0.key.utf8), id: $0.key, entry: $0.value) }
    keyed.sort { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    return keyed.map { ($0.id, $0.entry) }
  }

  /// The state's text.
  public var tsv: [UInt8] {
    var out: [UInt8] = []
    for (anonymousId, entry) in sortedEntries {
      let cells = [
        TSVCell.encode(anonymousId), TSVCell.encode(entry.userId), String(entry.firstSeen),
        String(entry.lastSeen), String(entry.identifiedAt), String(entry.anonymousSessions),
      ]
      out += Array(cells.joined(separator: "\t").utf8)
      out.append(10)
    }
    return out
  }

  /// Reads the state's text; `file` names it in errors.
  public init(tsv bytes: [UInt8], file: String) throws {
    var lineNumber = 0
    for line in bytes.split(separator: 10) {
      lineNumber += 1
      let cells = line.split(separator: 9, omittingEmptySubsequences: false).map {
        String(decoding: $0, as: UTF8.self)
      }
      guard cells.count == 6, let first = Int64(cells[2]), let last = Int64(cells[3]),
        let identifiedAt = Int64(cells[4]), let sessions = Int(cells[5]), !cells[0].isEmpty
      else {
        throw PolkuError(
          .io, "\(file): line \(lineNumber) is not an identity line (6 cells); state damaged")
      }
      entries[TSVCell.decode(cells[0])] = Entry(
        userId: TSVCell.decode(cells[1]), firstSeen: first, lastSeen: last,
        identifiedAt: identifiedAt, anonymousSessions: sessions)
    }
  }
}

/// %-encoding of tab, LF, CR and `%` in a TSV cell (bytes, so a CR LF pair is two).
enum TSVCell {
  static func encode(_ text: String) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for byte in text.utf8 {
      if byte == 9 || byte == 10 || byte == 13 || byte == 37 {
        out += [37, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
      } else {
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func decode(_ text: String) -> String {
    let bytes = Array(text.utf8)
    guard bytes.contains(37) else { return text }
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
      if bytes[index] == 37, index + 2 < bytes.count,
        let value = UInt8(
          String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
      {
        out.append(value)
        index += 3
      } else {
        out.append(bytes[index])
        index += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
