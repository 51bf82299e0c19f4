/// The text encoding of `customers.tsv` (see `docs/state-format.md`).
///
/// One header line, then one line per customer sorted by user id, ten tab-separated
/// columns:
///
/// | column | example |
/// |---|---|
/// | user_id | `u-1042` |
/// | first_seen, last_seen | `2024-05-01T12:00:00.000Z` (ISO 8601 UTC, ms) |
/// | active_days, sessions, events | lifetime integers |
/// | days | `2024-05-01:3:17,2024-05-02:1:4` (`day:sessions:events`, inside the window) |
/// | goals | `purchase:3,signup:1` (lifetime sessions per goal) |
/// | signals | `cancel_page:2` (lifetime hits per touchpoint or path) |
/// | signal_days | `2024-05-01:cancel_page:2` (`day:signal:hits`, inside the window) |
///
/// In user ids and names, `%`, tab, LF, CR, `,` and `:` are written as `%25`, `%09`, `%0A`,
/// `%0D`, `%2C` and `%3A`. Empty lists are empty cells.
enum StateTSV {
  static let header = [
    "user_id", "first_seen", "last_seen", "active_days", "sessions", "events", "days", "goals",
    "signals", "signal_days",
  ]

  static func encode(_ state: CustomerState) -> [UInt8] {
    var out = Array(header.joined(separator: "\t").utf8)
    out.append(10)
    let order = utf8SortedIndices(state.customers.map(\.userId))
    for slot in order {
      let c = state.customers[slot]
      var line = escape(c.userId) + "\t"
      line += TimestampParser.formatISO8601(c.firstSeen) + "\t"
      line += TimestampParser.formatISO8601(c.lastSeen) + "\t"
      line += "\(c.activeDays)\t\(c.sessions)\t\(c.events)\t"
      line +=
        c.days.map { "\(UTCDate.isoDate(day: $0.day)):\($0.sessions):\($0.events)" }
        .joined(separator: ",") + "\t"
      line += counts(c.goals, state.goalNames) + "\t" + counts(c.signals, state.signalNames)
      line += "\t"
      line += c.signalDays.map {
        "\(UTCDate.isoDate(day: $0.day)):\(escape(state.signalNames[$0.signal])):\($0.count)"
      }.joined(separator: ",")
      out.append(contentsOf: line.utf8)
      out.append(10)
    }
    return out
  }

  private static func counts(_ values: [Int], _ names: [String]) -> String {
    values.indices.filter { values[$0] != 0 }.map { "\(escape(names[$0])):\(values[$0])" }
      .joined(separator: ",")
  }

  /// Parses the lines into `state` (whose name lists are extended as names appear).
  static func decode(_ bytes: [UInt8], into state: inout CustomerState, file: String) throws {
    let text = String(decoding: bytes, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
    guard let first = lines.next(),
      first.split(separator: "\t", omittingEmptySubsequences: false)
        .map(String.init) == header
    else { throw PolkuError(.io, "\(file): missing or unknown header") }
    var number = 1
    while let line = lines.next() {
      number += 1
      let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
      func bad(_ what: String) -> PolkuError {
        PolkuError(.io, "\(file):\(number): \(what); the state is damaged")
      }
      guard cells.count == header.count else { throw bad("expected \(header.count) columns") }
      guard let firstSeen = UTCDate.parseTimestamp(String(cells[1])),
        let lastSeen = UTCDate.parseTimestamp(String(cells[2])),
        let activeDays = Int(cells[3]), let sessions = Int(cells[4]), let events = Int(cells[5])
      else { throw bad("bad first_seen, last_seen or counts") }
      var c = CustomerHistory(userId: unescape(cells[0]), firstSeen: firstSeen, lastSeen: lastSeen)
      c.activeDays = activeDays
      c.sessions = sessions
      c.events = events
      for item in list(cells[6]) {
        let parts = item.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let day = UTCDate.parseDate(Array(parts[0].utf8)),
          let s = Int(parts[1]), let e = Int(parts[2])
        else { throw bad("bad days entry \(item)") }
        c.days.append(DayActivity(day: day, sessions: s, events: e))
      }
      for (column, isGoal) in [(7, true), (8, false)] {
        for item in list(cells[column]) {
          let parts = item.split(separator: ":", omittingEmptySubsequences: false)
          guard parts.count == 2, let count = Int(parts[1]) else {
            throw bad("bad count entry \(item)")
          }
          let name = unescape(parts[0])
          let slot = isGoal ? state.goalIndex(name) : state.signalIndex(name)
          if isGoal {
            if c.goals.count <= slot {
              c.goals += [Int](repeating: 0, count: slot + 1 - c.goals.count)
            }
            c.goals[slot] = count
          } else {
            if c.signals.count <= slot {
              c.signals += [Int](repeating: 0, count: slot + 1 - c.signals.count)
            }
            c.signals[slot] = count
          }
        }
      }
      for item in list(cells[9]) {
        let parts = item.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let day = UTCDate.parseDate(Array(parts[0].utf8)),
          let count = Int(parts[2])
        else { throw bad("bad signal_days entry \(item)") }
        c.signalDays.append(
          SignalDay(day: day, signal: state.signalIndex(unescape(parts[1])), count: count))
      }
      c.days.sort { $0.day < $1.day }
      c.signalDays.sort { ($0.day, $0.signal) < ($1.day, $1.signal) }
      guard state.index[c.userId] == nil else { throw bad("duplicate user id") }
      state.index[c.userId] = state.customers.count
      state.customers.append(c)
    }
  }

  private static func list(_ cell: Substring) -> [Substring] {
    cell.isEmpty ? [] : cell.split(separator: ",", omittingEmptySubsequences: false)
  }

  static func escape(_ text: String) -> String {
    guard text.utf8.contains(where: { special($0) }) else { return text }
    var out: [UInt8] = []
    let hex = Array("0123456789ABCDEF".utf8)
    for byte in text.utf8 {
      if special(byte) {
        out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
      } else {
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func special(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "%") || byte == 9 || byte == 10 || byte == 13
      || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":")
  }

  static func unescape(_ text: Substring) -> String {
    guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
    let bytes = Array(text.utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
        let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2])
      {
        out.append(high << 4 | low)
        i += 3
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    default: nil
    }
  }
}
