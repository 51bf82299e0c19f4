import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The additive parts of one output folder, read from its files: the session rows, and
/// every table whose rows count sessions, keyed by row.
struct PartitionTables: Equatable {
  /// `sessions.csv` rows without the header.
  var sessions: [String] = []
  var sessionCount = 0
  /// `summary.json`: sessions reaching each goal, sessions per channel.
  var goals: [String: Int] = [:]
  var channels: [String: Int] = [:]
  /// `journeys.csv` steps → support; `goal_paths.csv` goal and path → conversions;
  /// `funnels.csv` (session-counted funnels) funnel and step → reached;
  /// `transitions.csv` source and target → count.
  var journeys: [String: Int] = [:]
  var goalPaths: [String: Int] = [:]
  var funnels: [String: Int] = [:]
  var transitions: [String: Int] = [:]

  private struct Summary: Decodable {
    var sessions: Int
    var goals: [String: Int]
    var sessionsPerChannel: [String: Int]

    enum CodingKeys: String, CodingKey {
      case sessions, goals
      case sessionsPerChannel = "sessions_per_channel"
    }
  }

  static func read(_ folder: String) throws -> PartitionTables {
    var tables = PartitionTables()
    let text = String(decoding: try FileBytes.read("\(folder)/sessions.csv"), as: UTF8.self)
    tables.sessions = text.split(separator: "\n").dropFirst().map(String.init)
    let summary = try JSONDecoder().decode(
      Summary.self, from: Data(try FileBytes.read("\(folder)/summary.json")))
    tables.sessionCount = summary.sessions
    tables.goals = summary.goals
    tables.channels = summary.sessionsPerChannel
    for row in try rows("\(folder)/journeys.csv") {
      tables.journeys[row["steps", default: ""], default: 0] += Int(row["support"] ?? "") ?? -1
    }
    for row in try rows("\(folder)/goal_paths.csv") {
      let key = "\(row["goal", default: ""]) | \(row["path", default: ""])"
      tables.goalPaths[key, default: 0] += Int(row["conversions"] ?? "") ?? -1
    }
    for row in try rows("\(folder)/funnels.csv") where row["count"] == "sessions" {
      let key = "\(row["funnel", default: ""]) | \(row["step_index", default: ""])"
      tables.funnels[key, default: 0] += Int(row["reached"] ?? "") ?? -1
    }
    for row in try rows("\(folder)/transitions.csv") {
      let key = "\(row["source", default: ""]) > \(row["target", default: ""])"
      tables.transitions[key, default: 0] += Int(row["count"] ?? "") ?? -1
    }
    return tables
  }

  /// Every count summed over `parts`, session rows concatenated.
  static func sum(_ parts: [PartitionTables]) -> PartitionTables {
    var total = PartitionTables()
    func add(_ from: [String: Int], _ into: inout [String: Int]) {
      for (key, value) in from { into[key, default: 0] += value }
    }
    for part in parts {
      total.sessions += part.sessions
      total.sessionCount += part.sessionCount
      add(part.goals, &total.goals)
      add(part.channels, &total.channels)
      add(part.journeys, &total.journeys)
      add(part.goalPaths, &total.goalPaths)
      add(part.funnels, &total.funnels)
      add(part.transitions, &total.transitions)
    }
    return total
  }

  /// `customers.csv`: per user id, the lifetime columns (not those that depend on the
  /// scoring day).
  static func customerTotals(_ folder: String) throws -> [String: [String]] {
    let lifetime = [
      "first_seen", "last_seen", "active_days", "sessions_total", "events_total",
      "goal_signup", "goal_purchase", "goal_login", "goal_cancel", "cancel_page", "cancel_path",
    ]
    var totals: [String: [String]] = [:]
    for row in try rows("\(folder)/customers.csv") {
      totals[row["user_id", default: ""]] = lifetime.map { row[$0, default: "?"] }
    }
    return totals
  }

  /// The rows of a CSV file (RFC 4180 quoting) as column → value.
  static func rows(_ path: String) throws -> [[String: String]] {
    let records = parseCSV(String(decoding: try FileBytes.read(path), as: UTF8.self))
    guard let header = records.first else { return [] }
    return records.dropFirst().map { record in
      var row: [String: String] = [:]
      for (index, name) in header.enumerated() where index < record.count {
        row[name] = record[index]
      }
      return row
    }
  }

  static func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var chars = text.makeIterator()
    var pending: Character? = nil
    while let char = pending ?? chars.next() {
      pending = nil
      if quoted {
        if char == "\"" {
          let next = chars.next()
          if next == "\"" {
            field.append("\"")
          } else {
            quoted = false
            pending = next
          }
        } else {
          field.append(char)
        }
        continue
      }
      switch char {
      case "\"": quoted = true
      case ",":
        record.append(field)
        field = ""
      case "\n":
        record.append(field)
        records.append(record)
        record = []
        field = ""
      default: field.append(char)
      }
    }
    if !field.isEmpty || !record.isEmpty {
      record.append(field)
      records.append(record)
    }
    return records
  }
}
