import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A whole run on events whose ids, sources and event names start like formulas, with
/// every CSV output read back by DuckDB's CSV reader: the guarded files parse as the same
/// tables (same columns and types, numbers intact), the text cells are the logged values
/// with a leading `'`, and `outputs.csv_formula_guard: false` gives the values as logged.
@Suite struct CSVFormulaGuardRunTests {
  static let root = URLPath.packageRoot

  /// One Segment-style event line.
  struct Event: Encodable {
    struct Context: Encodable {
      struct Page: Encodable { var path: String }
      struct Campaign: Encodable { var source: String }
      var page: Page?
      var campaign: Campaign?
    }
    var messageId: String
    var timestamp: String
    var type: String
    var anonymousId: String
    var userId: String?
    var event: String?
    var context: Context
  }

  /// A CSV table as DuckDB reads it.
  struct Table: Decodable {
    var columns: [String]
    var types: [String]
    var rows: [[Cell]]

    func column(_ name: String) -> [Cell] {
      guard let index = columns.firstIndex(of: name) else { return [] }
      return rows.map { $0[index] }
    }

    func texts(_ name: String) -> Set<String> {
      Set(column(name).compactMap { if case .text(let text) = $0 { text } else { nil } })
    }

    func type(_ name: String) -> String? { columns.firstIndex(of: name).map { types[$0] } }
  }

  enum Cell: Decodable, Equatable {
    case text(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
      let value = try decoder.singleValueContainer()
      if value.decodeNil() {
        self = .null
      } else if let bool = try? value.decode(Bool.self) {
        self = .bool(bool)
      } else if let number = try? value.decode(Double.self) {
        self = .number(number)
      } else {
        self = .text(try value.decode(String.self))
      }
    }
  }

  /// Anonymous visitors, one per leading character, and their campaign sources.
  static let visitors = CSVFormulaGuardTests.triggers.map { "\($0)cmd|'/c calc'!A1,x" }
  static let sources = CSVFormulaGuardTests.triggers.map { "\($0)HYPERLINK(\"http://e\")" }
  /// A known user (its sessions are keyed by the user id) and a hostile event name.
  static let user = "-42+1"
  static let trackEvent = "=1+1"

  /// Two sessions per visitor, each `/a`, the hostile event, `/b`.
  static func events() throws -> [UInt8] {
    var lines: [UInt8] = []
    let encoder = JSONEncoder()
    var number = 0
    func add(_ event: Event) throws {
      lines += try encoder.encode(event) + [10]
      number += 1
    }
    for (index, visitor) in (visitors + ["a-user"]).enumerated() {
      let userId = visitor == "a-user" ? user : nil
      let source = index < sources.count ? sources[index] : "ads"
      for day in ["01", "02"] {
        for (minute, step) in ["/a", trackEvent, "/b"].enumerated() {
          let isPage = step.hasPrefix("/")
          try add(
            Event(
              messageId: "m-\(number)", timestamp: "2026-11-\(day)T10:0\(minute):00.000Z",
              type: isPage ? "page" : "track", anonymousId: visitor, userId: userId,
              event: isPage ? nil : step,
              context: Event.Context(
                page: isPage ? .init(path: step) : nil,
                campaign: minute == 0 ? .init(source: source) : nil)))
        }
      }
    }
    return lines
  }

  /// Runs segment-web on the events with the guard on or off; the tables by file name.
  static func run(guarding: Bool) throws -> [String: Table] {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    try FileBytes.write(try events(), to: "\(dir)/events.jsonl")
    var loaded = try LoadedPipeline.load(path: "\(root)/Pipelines/segment-web.json")
    loaded.spec.outputs.csvFormulaGuard = guarding
    let result = try Runner.run(
      RunOptions(
        pipeline: loaded, inputs: ["\(dir)/events.jsonl"], outputDirectory: "\(dir)/out",
        threads: 2))
    #expect(result.summary.events.rejectedTotal == 0)
    var tables: [String: Table] = [:]
    for name in ["sessions.csv", "customers.csv", "journeys.csv", "transitions.csv"] {
      let json = try runPythonTool(
        "csv_table_oracle.py", ["\(dir)/out/\(name)"], package: "duckdb")
      tables[name] = try JSONDecoder().decode(Table.self, from: Data(json.utf8))
    }
    return tables
  }

  @Test func guardedOutputsParseAsTheSameTablesWithTheValuesGuarded() throws {
    let tables = try Self.run(guarding: true)
    let sessions = try #require(tables["sessions.csv"])
    #expect(sessions.columns == SessionsTable.header)
    #expect(sessions.rows.count == 2 * (Self.visitors.count + 1))
    let keys = Self.visitors + [Self.user]
    #expect(sessions.texts("visitor_key") == Set(keys.map(CSVFormulaGuardTests.guarded)))
    #expect(sessions.texts("visitor_key").allSatisfy { $0.hasPrefix("'") })
    #expect(sessions.texts("source") == Set(Self.sources.map { "'" + $0 } + ["ads"]))
    // Numbers and times keep their types and values.
    for name in ["duration_s", "events", "pageviews"] {
      #expect(["BIGINT", "INTEGER"].contains(sessions.type(name) ?? ""), "\(name)")
    }
    #expect(sessions.type("start")?.hasPrefix("TIMESTAMP") == true)
    #expect(sessions.column("duration_s").allSatisfy { $0 == .number(120) })
    #expect(sessions.column("events").allSatisfy { $0 == .number(3) })

    let customers = try #require(tables["customers.csv"])
    #expect(customers.texts("user_id") == ["'" + Self.user])
    #expect(customers.column("sessions_total") == [.number(2)])
    let journeys = try #require(tables["journeys.csv"])
    // The guard looks at the cell's first character only.
    #expect(journeys.texts("steps").contains("/a > =1+1 > /b"))
    #expect(journeys.texts("steps").contains("'=1+1 > /b"))
    let transitions = try #require(tables["transitions.csv"])
    #expect(transitions.texts("target").contains("'" + Self.trackEvent))
    #expect(transitions.texts("source").contains("'" + Self.trackEvent))
  }

  @Test func theGuardOffGivesTheValuesAsLogged() throws {
    let guarded = try Self.run(guarding: true)
    let tables = try Self.run(guarding: false)
    let sessions = try #require(tables["sessions.csv"])
    #expect(sessions.texts("visitor_key") == Set(Self.visitors + [Self.user]))
    #expect(sessions.texts("source") == Set(Self.sources + ["ads"]))
    #expect(tables["customers.csv"]?.texts("user_id") == [Self.user])
    #expect(tables["transitions.csv"]?.texts("source").contains(Self.trackEvent) == true)
    // Only the guarded cells differ: same columns, types, numbers and row count.
    for (name, table) in tables {
      let other = try #require(guarded[name])
      #expect(table.columns == other.columns, "\(name)")
      #expect(table.types == other.types, "\(name)")
      #expect(table.rows.count == other.rows.count, "\(name)")
      for (column, type) in zip(table.columns, table.types) where type != "VARCHAR" {
        #expect(table.column(column) == other.column(column), "\(name).\(column)")
      }
    }
  }
}
