import Testing

@testable import PolkuCore

/// `sessions.csv` read back as `visitor_key,start ms,end ms,events` lines, the shape the
/// end-to-end tests compare with sessions worked out independently.
enum SessionRows {
  static func read(_ out: String) throws -> [String] {
    let table = String(decoding: try FileBytes.read("\(out)/sessions.csv"), as: UTF8.self)
    var rows: [String] = []
    for line in table.split(separator: "\n").dropFirst() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      guard case .millis(let start) = TimestampParser.parse(String(cells[3]), format: .iso8601),
        case .millis(let end) = TimestampParser.parse(String(cells[4]), format: .iso8601)
      else {
        Issue.record("bad timestamps in \(line)")
        continue
      }
      rows.append("\(cells[1]),\(start),\(end),\(cells[6])")
    }
    return rows
  }
}
