import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Runs `Pipelines/ga4-bigquery.json` on `SampleData/ga4` and checks events, visitors and
/// sessions against an independent reading of the export: zlib inflate, `JSONDecoder`,
/// and the session rule applied here.
@Suite struct GA4ExportTests {
  /// The few columns of a GA4 export row this test reads (the rest are ignored).
  struct Row: Decodable {
    struct Param: Decodable {
      struct Value: Decodable {
        var stringValue: String?
        enum CodingKeys: String, CodingKey { case stringValue = "string_value" }
      }
      var key: String
      var value: Value
    }
    var eventTimestamp: String
    var eventName: String
    var userPseudoId: String
    var userId: String?
    var eventParams: [Param]
    enum CodingKeys: String, CodingKey {
      case eventTimestamp = "event_timestamp"
      case eventName = "event_name"
      case userPseudoId = "user_pseudo_id"
      case userId = "user_id"
      case eventParams = "event_params"
    }
  }

  static let root = URLPath.packageRoot
  static let files = ["events_20261101", "events_20261102", "events_20261103"]

  static func rows() throws -> [Row] {
    var rows: [Row] = []
    for name in files {
      let data = try FileBytes.read("\(root)/SampleData/ga4/\(name).json.gz")
      let (text, clean) = IngestTestKit.referenceInflate(data)
      #expect(clean)
      for line in text.split(separator: 0x0A) {
        rows.append(try JSONDecoder().decode(Row.self, from: Data(line)))
      }
    }
    return rows
  }

  /// Sessions as `visitor,start_ms,end_ms,events` with stitched identity (a pseudo id ever
  /// seen with a user id belongs to that user) and a 30-minute inactivity gap.
  static func expectedSessions(_ rows: [Row]) -> [String] {
    var userOfPseudo: [String: String] = [:]
    for row in rows { if let user = row.userId { userOfPseudo[row.userPseudoId] = user } }
    var times: [String: [Int64]] = [:]
    for row in rows {
      let visitor = userOfPseudo[row.userPseudoId] ?? row.userPseudoId
      times[visitor, default: []].append((Int64(row.eventTimestamp) ?? -1) / 1000)
    }
    var sessions: [String] = []
    for (visitor, stamps) in times {
      var start = -1 as Int64
      var last = -1 as Int64
      var count = 0
      for time in stamps.sorted() {
        if count > 0 && time - last > 1_800_000 {
          sessions.append("\(visitor),\(start),\(last),\(count)")
          count = 0
        }
        if count == 0 { start = time }
        last = time
        count += 1
      }
      sessions.append("\(visitor),\(start),\(last),\(count)")
    }
    return sessions.sorted()
  }

  @Test func eventsVisitorsAndSessionsMatchAnIndependentReading() throws {
    let rows = try Self.rows()
    #expect(rows.count > 300)
    let out = try EndToEndTests.run("ga4-bigquery", ["ga4"])
    defer { EndToEndTests.removeRun(out) }
    let summary = try EndToEndTests.summary(out)
    #expect(summary.events.read == rows.count)
    #expect(summary.events.accepted == rows.count)
    #expect(summary.events.rejected.isEmpty)
    #expect(summary.events.sessionized == rows.count)

    let expected = Self.expectedSessions(rows)
    #expect(summary.sessions == expected.count)
    let visitors = Set(expected.map { $0.prefix(while: { $0 != "," }) })
    #expect(summary.visitors == visitors.count)

    let actual = try SessionRows.read(out)
    #expect(actual.sorted() == expected)

    // Goals: sessions with at least one such event.
    for goal in ["purchase", "sign_up", "login"] {
      let withGoal = Set(
        rows.filter { $0.eventName == goal }.map { row in
          expected.first { session in
            let cells = session.split(separator: ",")
            let time = (Int64(row.eventTimestamp) ?? 0) / 1000
            let visitor = rows.first { $0.userPseudoId == row.userPseudoId && $0.userId != nil }
            let key = visitor?.userId ?? row.userPseudoId
            return cells[0] == key && Int64(cells[1]) ?? 0 <= time && time <= Int64(cells[2]) ?? 0
          } ?? ""
        })
      #expect(summary.goals[goal] == withGoal.count, "goal \(goal)")
      #expect(withGoal.count > 0 && !withGoal.contains(""), "goal \(goal)")
    }
  }

  @Test func pageViewsAreNormalisedPagesAndAutomaticEventsStayOutOfThePaths() throws {
    let rows = try Self.rows()
    let out = try EndToEndTests.run("ga4-bigquery", ["ga4"])
    defer { EndToEndTests.removeRun(out) }
    let table = String(decoding: try FileBytes.read("\(out)/sessions.csv"), as: UTF8.self)
    let header = table.split(separator: "\n")[0].split(separator: ",")
    let pageviewsColumn = try #require(header.firstIndex(of: "pageviews"))
    let entryColumn = try #require(header.firstIndex(of: "entry_page"))
    var pageviews = 0
    var entries = Set<String>()
    for line in table.split(separator: "\n").dropFirst() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      pageviews += Int(cells[pageviewsColumn]) ?? 0
      entries.insert(String(cells[entryColumn]))
    }
    #expect(pageviews == rows.filter { $0.eventName == "page_view" }.count)
    // page_location is a full URL; pages keep only the normalised path.
    let locations = Set(
      rows.compactMap { row in
        row.eventParams.first { $0.key == "page_location" }?.value.stringValue
      })
    #expect(locations.allSatisfy { $0.hasPrefix("https://shop.example.com/") })
    #expect(
      entries.isSubset(of: [
        "/", "/pricing", "/products/42", "/products/7", "/blog/ga4-export", "/cart", "/checkout",
      ]))
    #expect(!entries.isEmpty)

    let transitions = String(decoding: try FileBytes.read("\(out)/transitions.csv"), as: UTF8.self)
    for automatic in ["session_start", "first_visit", "user_engagement"] {
      #expect(rows.contains { $0.eventName == automatic })
      #expect(!transitions.contains(automatic), "\(automatic) in transitions.csv")
    }
    #expect(transitions.contains("scroll"))
    #expect(transitions.contains("/pricing"))
  }
}
