/// Sessions still open at the end of a nightly batch, carried to the next night.
///
/// A visitor whose last session ended within `gap_seconds` of the batch end may go on
/// after the cut. With `--state`, that session is held (``HeldSessions``): not published
/// tonight, but saved whole in the state and put back in front of the next night's events,
/// so the session is cut by the gap rule and not by the batch boundary, and published once,
/// whole, by the night in which it closes. Carried events have ``Event/isCarried`` set.
///
/// Format (text, one event per line, tab-separated, inspectable with `cut`):
/// `time_ms  kind  anonymous_id  user_id  name  channel  source  message_hash_hex`;
/// tabs, newlines, CR and `%` inside values are %-encoded.
public enum SessionTails {
  /// The tails kept in the state: `next` (open at the end of the last fold, for the next
  /// night) and `previous` (the ones the last fold itself started from, so re-running the
  /// last night gives the same sessions as its first run).
  public struct Saved: Equatable, Sendable {
    public var previous: [UInt8] = []
    public var next: [UInt8] = []
    /// Whether the tails are of held sessions, which no night has published or folded into
    /// churn yet (a `# held` line). States without it carry sessions whose first part was
    /// already published and folded the night before.
    public var held = false

    public init(previous: [UInt8] = [], next: [UInt8] = [], held: Bool = false) {
      self.previous = previous
      self.next = next
      self.held = held
    }

    /// Reads the state's bytes: an optional `# held` line, then `# previous` and `# next`
    /// sections (older states hold only event lines, which count as `next`).
    public init(_ bytes: [UInt8]) {
      var section = 1
      for line in bytes.split(separator: 10, omittingEmptySubsequences: true) {
        if line.elementsEqual(Array("# held".utf8)) {
          held = true
          continue
        }
        if line.first == UInt8(ascii: "#") {
          section = line.elementsEqual(Array("# previous".utf8)) ? 0 : 1
          continue
        }
        if section == 0 {
          previous += line
          previous.append(10)
        } else {
          next += line
          next.append(10)
        }
      }
    }

    /// The state's bytes.
    public var bytes: [UInt8] {
      (held ? Array("# held\n".utf8) : [])
        + Array("# previous\n".utf8) + previous + Array("# next\n".utf8) + next
    }
  }

  /// At most this many events of one open session are carried (the latest ones).
  public static let maxEventsPerVisitor = 5000

  /// The open sessions of `run` as tail text: each visitor's last session that ended within
  /// `gapSeconds` of `batchEnd`, with its latest events, in visitor key order (visitors
  /// fall into partitions by thread count; their ids do not depend on it).
  ///
  /// The run must come from a sessioniser that kept tails (``Sessionizer/keepsTails``), and
  /// `batchEnd` must be at or after its latest session end.
  public static func collect(_ run: SessionizedRun, batchEnd: Int64, gapSeconds: Int) -> [UInt8] {
    let gap = Int64(gapSeconds) * 1000
    var open: [(visitor: UInt32, tail: OpenTail)] = []
    for batch in run.batches {
      for tail in batch.openTails {
        let session = batch.sessions[tail.session]
        if batchEnd - session.end <= gap { open.append((session.visitor.raw, tail)) }
      }
    }
    open.sort { $0.visitor < $1.visitor }
    var out: [UInt8] = []
    let tables = run.tables
    for (_, tail) in open {
      for event in tail.events {
        out += Array(String(event.time).utf8)
        out.append(9)
        out.append(event.kind.rawValue + 48)
        for (table, id) in [
          (tables.ids, event.anonymousId), (tables.ids, event.userId),
          (tables.names, event.name), (tables.channels, UInt32(event.channel)),
          (tables.sources, event.source),
        ] {
          out.append(9)
          table.withBytes(id) { encode($0, into: &out) }
        }
        out.append(9)
        out += Array(String(event.messageHash, radix: 16).utf8)
        out.append(10)
      }
    }
    return out
  }

  /// Parses tail text back into events with ids in `tables` (interning as needed).
  public static func inject(_ text: [UInt8], into tables: inout EventTables) throws -> [Event] {
    var events: [Event] = []
    var lineNumber: UInt32 = 0
    for line in text.split(separator: 10) {
      lineNumber += 1
      let cells = line.split(separator: 9, omittingEmptySubsequences: false)
      guard cells.count == 8, let time = Int64(String(decoding: cells[0], as: UTF8.self)),
        Event.timeRange.contains(time),
        let kindDigit = cells[1].first, let kind = EventKind(rawValue: kindDigit &- 48),
        let hash = UInt64(String(decoding: cells[7], as: UTF8.self), radix: 16)
      else {
        throw PolkuError(.io, "state: session tail line \(lineNumber) is malformed")
      }
      func id(_ cell: ArraySlice<UInt8>, _ table: inout SymbolTable) -> UInt32 {
        let value = decode(cell)
        return value.isEmpty ? 0 : value.withUnsafeBufferPointer { table.intern($0) }
      }
      let channel = id(cells[5], &tables.channels)
      events.append(
        Event(
          time: time, messageHash: hash, anonymousId: id(cells[2], &tables.ids),
          userId: id(cells[3], &tables.ids), name: id(cells[4], &tables.names),
          source: id(cells[6], &tables.sources),
          channel: UInt8(truncatingIfNeeded: min(channel, 255)), kind: kind, isCarried: true))
    }
    return events
  }

  private static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    let hex = Array("0123456789ABCDEF".utf8)
    for byte in bytes {
      if byte == 9 || byte == 10 || byte == 13 || byte == 37 {
        out += [37, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
      } else {
        out.append(byte)
      }
    }
  }

  private static func decode(_ cell: ArraySlice<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    var index = cell.startIndex
    while index < cell.endIndex {
      if cell[index] == 37, index + 2 < cell.endIndex,
        let value = UInt8(
          String(decoding: cell[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
      {
        out.append(value)
        index += 3
      } else {
        out.append(cell[index])
        index += 1
      }
    }
    return out
  }
}
