import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Runs whole pipelines on the shipped SampleData and checks the outputs against the
/// answers the generator knows by construction (`SampleData/expected.json`,
/// `SampleData/sessions_truth.csv`), not against polku's own earlier output.
@Suite struct EndToEndTests {
  struct Expected: Decodable {
    struct Counts: Decodable {
      var malformed: [String: Int]
      var duplicates: Int
      var botEvents: Int
      var assetEvents: Int
      var acceptedEvents: Int
      enum CodingKeys: String, CodingKey {
        case malformed, duplicates
        case botEvents = "bot_events"
        case assetEvents = "asset_events"
        case acceptedEvents = "accepted_events"
      }
    }
    struct Mode: Decodable {
      var sessions: Int
      var events: Int
      var identifyEvents: Int
      var keys: Int
      var goalSessions: [String: Int]
      enum CodingKeys: String, CodingKey {
        case sessions, events, keys
        case identifyEvents = "identify_events"
        case goalSessions = "goal_sessions"
      }
    }
    var formats: [String: Counts]
    var sessions: [String: Mode]
  }

  /// The parts of summary.json the tests read.
  struct Summary: Decodable {
    struct Events: Decodable {
      var read: Int
      var accepted: Int
      var duplicates: Int
      var identify: Int
      var filtered: [String: Int]
      var rejected: [String: Int]
      var sessionized: Int
    }
    struct Churn: Decodable {
      struct Model: Decodable {
        var converged: Bool
        var evaluations: Int
        var used: Bool
        var notUsedBecause: String?

        enum CodingKeys: String, CodingKey {
          case converged, evaluations, used
          case notUsedBecause = "not_used_because"
        }
      }
      var model: Model?
    }
    var events: Events
    var visitors: Int
    var sessions: Int
    var goals: [String: Int]
    var churn: Churn
  }

  static let root = URLPath.packageRoot

  static func expected() throws -> Expected {
    let bytes = try FileBytes.read("\(root)/SampleData/expected.json")
    return try JSONDecoder().decode(Expected.self, from: Data(bytes))
  }

  /// Runs `pipeline` on `inputs` into a fresh temp folder; returns the folder.
  static func run(
    _ pipeline: String, _ inputs: [String], threads: Int = 2,
    edit: (inout PipelineSpec) -> Void = { _ in }
  ) throws -> String {
    var loaded = try LoadedPipeline.load(path: "\(root)/Pipelines/\(pipeline).json")
    edit(&loaded.spec)
    let dir = IngestTestKit.makeTempDir()
    _ = try Runner.run(
      RunOptions(
        pipeline: loaded, inputs: inputs.map { "\(root)/SampleData/\($0)" },
        outputDirectory: "\(dir)/out", threads: threads))
    return "\(dir)/out"
  }

  /// Removes the temp folder ``run(_:_:threads:edit:)`` made for `out`. (Removing
  /// `out + "/.."` emptied it but left it behind: `rmdir` refuses a path ending in `..`.)
  static func removeRun(_ out: String) {
    precondition(out.hasSuffix("/out"), "not a folder from run: \(out)")
    IngestTestKit.remove(String(out.dropLast("/out".count)))
  }

  static func summary(_ out: String) throws -> Summary {
    try JSONDecoder().decode(Summary.self, from: Data(try FileBytes.read("\(out)/summary.json")))
  }

  /// Checks one format's ingest counts against the generator's.
  func expectCounts(_ summary: Summary, _ counts: Expected.Counts) {
    #expect(summary.events.rejected == counts.malformed.filter { $0.value > 0 })
    #expect(summary.events.duplicates == counts.duplicates)
    #expect((summary.events.filtered["bot"] ?? 0) == counts.botEvents)
    #expect((summary.events.filtered["asset"] ?? 0) == counts.assetEvents)
    // The generator's accepted events exclude duplicates; polku counts them as accepted
    // and then drops them while sessionising.
    #expect(summary.events.accepted == counts.acceptedEvents + counts.duplicates)
  }

  func expectSessions(_ summary: Summary, _ mode: Expected.Mode, goals: Bool = true) {
    #expect(summary.sessions == mode.sessions)
    #expect(summary.visitors == mode.keys)
    #expect(summary.events.sessionized == mode.events - mode.identifyEvents)
    #expect(summary.events.identify == mode.identifyEvents)
    if goals {
      let byEvent = [
        "signup": "Signed Up", "purchase": "Order Completed", "login": "Logged In",
        "cancel": "Subscription Cancelled",
      ]
      for (goal, event) in byEvent {
        #expect(summary.goals[goal] == mode.goalSessions[event], "goal \(goal)")
      }
    }
  }

  @Test func segmentStitched() throws {
    let expected = try Self.expected()
    let out = try Self.run("segment-web", ["segment"])
    defer { Self.removeRun(out) }
    let summary = try Self.summary(out)
    expectCounts(summary, try #require(expected.formats["jsonl"]))
    expectSessions(summary, try #require(expected.sessions["jsonl_stitched"]))
    // A week of history puts the BG/NBD optimum at the no-dropout boundary: the fit must
    // notice the flat ridge and stop (it used to crawl through 8 × 3000 simplex steps,
    // ~140 K evaluations).
    let model = try #require(summary.churn.model)
    #expect(!model.converged)
    #expect(model.evaluations < 10_000, "\(model.evaluations) evaluations")
    // Such a fit is published with why it is not used, and no customer gets a P(alive).
    #expect(!model.used)
    #expect(model.notUsedBecause?.contains("no customer seems to drop out") == true)
    let customers = try FileBytes.read("\(out)/customers.csv").split(separator: 10)
    let header = customers[0].split(separator: 44, omittingEmptySubsequences: false)
    let column = try #require(header.firstIndex { $0.elementsEqual("p_alive".utf8) })
    #expect(customers.count > 20)
    for row in customers.dropFirst() {
      // user ids and reasons here hold no commas: the column is at its header's index.
      #expect(row.split(separator: 44, omittingEmptySubsequences: false)[column].isEmpty)
    }
  }

  @Test func segmentByDevice() throws {
    let expected = try Self.expected()
    let out = try Self.run("segment-web", ["segment"]) { $0.sessions.identity = .device }
    defer { Self.removeRun(out) }
    expectSessions(try Self.summary(out), try #require(expected.sessions["jsonl_device"]))
  }

  @Test func nginxAccessLogByCookie() throws {
    let expected = try Self.expected()
    let out = try Self.run("nginx-combined", ["access"])
    defer { Self.removeRun(out) }
    let summary = try Self.summary(out)
    expectCounts(summary, try #require(expected.formats["access"]))
    expectSessions(summary, try #require(expected.sessions["access_cookie"]), goals: false)
  }

  @Test func csvTouchpoints() throws {
    let expected = try Self.expected()
    let out = try Self.run("csv-touchpoints", ["touchpoints"])
    defer { Self.removeRun(out) }
    let summary = try Self.summary(out)
    expectCounts(summary, try #require(expected.formats["csv"]))
    expectSessions(summary, try #require(expected.sessions["csv_user"]), goals: false)
  }

  /// Every session of the stitched web + contacts journey, row by row.
  @Test func omnichannelSessionsMatchTheTruthRowByRow() throws {
    let out = try Self.run("omnichannel", ["segment", "touchpoints"])
    defer { Self.removeRun(out) }
    let truth = try FileBytes.read("\(Self.root)/SampleData/sessions_truth.csv")
    var expectedRows: [String] = []
    for line in String(decoding: truth, as: UTF8.self).split(separator: "\n").dropFirst() {
      let cells = line.split(separator: ",")
      let events = (Int(cells[3]) ?? 0) - (Int(cells[4]) ?? 0)
      guard events > 0 else { continue }  // a session of identify calls only
      expectedRows.append("\(cells[0]),\(cells[1]),\(cells[2]),\(events)")
    }
    let actualRows = try SessionRows.read(out)
    #expect(actualRows.count == expectedRows.count)
    #expect(actualRows.sorted() == expectedRows.sorted())
  }

  @Test func outputsAreByteIdenticalForAnyThreadCount() throws {
    let one = try Self.run("omnichannel", ["segment", "touchpoints"], threads: 1)
    let three = try Self.run("omnichannel", ["segment", "touchpoints"], threads: 3)
    defer {
      Self.removeRun(one)
      Self.removeRun(three)
    }
    for file in [
      "sessions.csv", "summary.json", "bad_rows.jsonl", "churn_signals.csv", "customers.csv",
      "journeys.csv", "goal_paths.csv", "funnels.csv", "transitions.csv", "patterns.csv",
      "report.html",
    ] {
      let a = try FileBytes.read("\(one)/\(file)")
      #expect(!a.isEmpty, "\(file) is empty")
      #expect(a == (try FileBytes.read("\(three)/\(file)")), "\(file) differs")
    }
  }

  @Test func badRowsNameFileLineAndReason() throws {
    let out = try Self.run("segment-web", ["segment"])
    defer { Self.removeRun(out) }
    let text = String(decoding: try FileBytes.read("\(out)/bad_rows.jsonl"), as: UTF8.self)
    let lines = text.split(separator: "\n")
    #expect(lines.count == 19)
    for line in lines {
      #expect(line.contains("\"file\":\"") && line.contains(".jsonl.gz\""))
      #expect(line.contains("\"line\":") && line.contains("\"reason\":\""))
    }
  }

  @Test func dateKeepsOneDayAndWritesItsPartition() throws {
    var loaded = try LoadedPipeline.load(path: "\(Self.root)/Pipelines/segment-web.json")
    loaded.spec.quality.maxBadRowRatio = 1
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let result = try Runner.run(
      RunOptions(
        pipeline: loaded, inputs: ["\(Self.root)/SampleData/segment"],
        outputDirectory: "\(dir)/out", threads: 2, date: "2026-11-02"))
    let summary = try Self.summary("\(dir)/out/dt=2026-11-02")
    #expect(summary.sessions == result.summary.sessions)
    #expect((summary.events.filtered["outside_date"] ?? 0) > 0)
    #expect(result.summary.firstEvent?.hasPrefix("2026-11-02") == true)
    #expect(result.summary.lastEvent?.hasPrefix("2026-11-02") == true)
  }
}
