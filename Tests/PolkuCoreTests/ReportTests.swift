import Testing

@testable import PolkuCore

#if canImport(Glibc)
  import Glibc
#endif

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `report.html`: written by every run from the published tables, byte-identical for any
/// thread count, rebuilt to the same bytes by `polku report`, safe with hostile values.
@Suite struct ReportTests {
  static let root = URLPath.packageRoot

  static func report(_ out: String) throws -> String {
    String(decoding: try FileBytes.read("\(out)/report.html"), as: UTF8.self)
  }

  static func manifest(_ out: String) throws -> Manifest {
    try JSONDecoder().decode(Manifest.self, from: Data(try FileBytes.read("\(out)/manifest.json")))
  }

  @Test func sameBytesForAnyThreadCountAndListedInTheManifest() throws {
    let one = try EndToEndTests.run("omnichannel", ["segment", "touchpoints"], threads: 1)
    defer { EndToEndTests.removeRun(one) }
    let three = try EndToEndTests.run("omnichannel", ["segment", "touchpoints"], threads: 3)
    defer { EndToEndTests.removeRun(three) }
    let bytes = try FileBytes.read("\(one)/report.html")
    #expect(try FileBytes.read("\(three)/report.html") == bytes)
    let entry = try Self.manifest(one).outputs.first { $0.file == "report.html" }
    #expect(entry?.sha256 == SHA256.hex(bytes))
    #expect(entry?.bytes == bytes.count)
    #expect(bytes.count < 2_000_000)
  }

  @Test func polkuReportRebuildsTheSameBytes() throws {
    let out = try EndToEndTests.run("omnichannel", ["segment", "touchpoints"])
    defer { EndToEndTests.removeRun(out) }
    let written = try FileBytes.read("\(out)/report.html")
    let manifest = try FileBytes.read("\(out)/manifest.json")
    #expect(unlink("\(out)/report.html") == 0)
    let rebuilt = try Report.rebuild(folder: out)
    #expect(!rebuilt.unchanged)
    #expect(try FileBytes.read("\(out)/report.html") == written)
    #expect(try FileBytes.read("\(out)/manifest.json") == manifest)
    #expect(try Report.rebuild(folder: out + "/").unchanged)
    // No temporary file left behind.
    #expect(OutputFolder.entries(out).allSatisfy { !$0.contains(".tmp") })
  }

  @Test func rebuildRefusesAFolderWithoutAManifestAndLeavesNothing() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    #expect(throws: PolkuError.self) { try Report.rebuild(folder: "\(dir)/missing/out") }
    #expect(OutputFolder.entries(dir).isEmpty)
  }

  @Test func rebuildListsAReportTheRunDidNotWrite() throws {
    let out = try EndToEndTests.run("omnichannel", ["segment", "touchpoints"]) {
      $0.report.enabled = false
    }
    defer { EndToEndTests.removeRun(out) }
    #expect(!FileBytes.exists("\(out)/report.html"))
    #expect(try !Self.manifest(out).outputs.contains { $0.file == "report.html" })
    _ = try Report.rebuild(folder: out)
    let bytes = try FileBytes.read("\(out)/report.html")
    #expect(try Self.manifest(out).outputs.last?.sha256 == SHA256.hex(bytes))
  }

  @Test func picturesShowTheFiguresOfTheirFiles() throws {
    let out = try EndToEndTests.run("omnichannel", ["segment", "touchpoints"])
    defer { EndToEndTests.removeRun(out) }
    let html = try Self.report(out)
    // The Sankey's total is the sum of transitions.csv's counts.
    let transitions = CSVTable(try FileBytes.read("\(out)/transitions.csv"))
    let total = transitions.rows.reduce(0) { $0 + (Int(transitions.cell($1, "count")) ?? 0) }
    #expect(html.contains("\"sankey\":{\"total\":\(total),"))
    #expect(html.contains("(\(ReportText.count(total)) transitions)"))
    #expect(html.ranges(of: "<path class=\"band").count > 10)
    // Every funnel step's figure from funnels.csv.
    let funnels = CSVTable(try FileBytes.read("\(out)/funnels.csv"))
    for row in funnels.rows {
      let step = HTMLEscape.svgText(funnels.cell(row, "step"))
      #expect(html.contains(step))
      #expect(html.contains(ReportText.count(Int(funnels.cell(row, "reached")) ?? -1) + " ("))
    }
    // Sections and the policy.
    for id in ["glance", "journeys", "goals", "funnels", "sessions", "churn", "quality"] {
      #expect(html.contains("<section id=\"\(id)\">"), "section \(id)")
    }
    #expect(html.contains("default-src 'none'"))
    #expect(html.contains("script-src 'none'"))
    let style = try #require(html.firstRange(of: "<style>")).upperBound
    let styleEnd = try #require(html.firstRange(of: "</style>")).lowerBound
    #expect(html.contains("style-src '\(ReportPage.cspHash(String(html[style..<styleEnd])))'"))
    // Nothing that could load anything.
    for attribute in [" href=", " src=", "url(", "@import", "http://", "https://"] {
      #expect(!html.contains(attribute), "\(attribute) in report")
    }
  }

  @Test func hostileValuesStayText() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let hostile = [
      "/<script>alert(1)</script>", "/\"><img src=x onerror=alert(1)>",
      "/javascript:alert(1)", "/a\u{202E}gpj.exe", "/x</script><script>alert(2)</script>",
    ]
    var lines = ""
    for visitor in 0..<30 {
      for (step, page) in (hostile + hostile).enumerated() {
        let second = String(step + 10)
        lines +=
          "{\"type\":\"page\",\"anonymousId\":\"a\(visitor)\",\"messageId\":\"m\(visitor)-\(step)\","
          + "\"timestamp\":\"2026-11-01T10:00:\(second)Z\",\"context\":{\"page\":{\"path\":"
          + HTMLEscape.jsonString(page).replacing("\\u003c", with: "<")
          .replacing("\\u003e", with: ">") + "}}}\n"
      }
      lines +=
        "{\"type\":\"track\",\"event\":\"<script>alert(3)</script>\",\"anonymousId\":\"a\(visitor)\","
        + "\"messageId\":\"t\(visitor)\",\"timestamp\":\"2026-11-01T10:00:40Z\"}\n"
    }
    try OutputFolder.makeDirectories("\(dir)/in")
    try FileBytes.write(Array(lines.utf8), to: "\(dir)/in/e.jsonl")
    let loaded = try LoadedPipeline.load(path: "\(Self.root)/Pipelines/segment-web.json")
    _ = try Runner.run(
      RunOptions(
        pipeline: loaded, inputs: ["\(dir)/in"], outputDirectory: "\(dir)/out", threads: 2))
    let html = try Self.report("\(dir)/out")
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("[U+202E]"))
    #expect(!html.contains("\u{202E}"))
    #expect(!html.contains("<img"))
    #expect(!html.contains("alert(1)</script>"))
    // One script element: the JSON data block, closed once.
    #expect(html.ranges(of: "<script").count == 1)
    #expect(html.ranges(of: "</script>").count == 1)
    #expect(html.contains("<script type=\"application/json\" id=\"polku-data\">"))
  }

  @Test func churnAndQualityComeFromTheirFiles() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let summary = """
      {"pipeline":"p","sessions":3,"events":{"rejected":{"invalid_json":4},"rejected_total":4},
       "churn":{"now":"2026-11-03T00:00:00Z","customers":40,"bands":{"high":2,"medium":1,"low":37},
       "model":null,"score_histogram":[30,7,0,0,0,0,1,0,2,0]}}
      """
    try FileBytes.write(Array(summary.utf8), to: "\(dir)/summary.json")
    var signals = "user_id,score,band,reasons,last_seen,days_since_last\n"
    let reasons = ["quiet 21 days; complaint 2x", "quiet 15 days", "complaint 1x; cancel page"]
    for (index, reason) in reasons.enumerated() {
      signals +=
        "\"<i>u\(index)</i>\",0.\(9 - index)000,high,\(reason),2026-10-1\(index)T00:00:00Z,\(20 + index)\n"
    }
    try FileBytes.write(Array(signals.utf8), to: "\(dir)/churn_signals.csv")
    var bad = ""
    for line in 1...4 {
      bad +=
        "{\"file\":\"in/x.jsonl\",\"line\":\(line),\"reason\":\"invalid_json\",\"raw\":\"{<b>\(line)\"}\n"
    }
    try FileBytes.write(Array(bad.utf8), to: "\(dir)/bad_rows.jsonl")
    let inputs = (0..<60).map {
      InputStatus(
        path: "in/f\($0).gz", input: "web", bytes: 100, status: .damaged, lines: 3,
        damage: "truncated at byte \(1000 + $0)")
    }
    let html = String(
      decoding: ReportPage.build(
        try ReportData.load(folder: dir, inputs: inputs, pipelineSHA256: "abc")),
      as: UTF8.self)
    // Every at-risk row, its user id escaped.
    for index in reasons.indices { #expect(html.contains("<td>&lt;i&gt;u\(index)&lt;/i&gt;</td>")) }
    // Reasons counted over the file's rows, numbers as N.
    let counts = ["quiet N days": 2, "complaint Nx": 2, "cancel page": 1]
    for (reason, count) in counts { #expect(html.contains("\(reason): \(count) of 3 at risk")) }
    #expect(html.contains("No model was fitted"))
    #expect(html.contains("0.8–0.9: 2"))
    // Three examples of the reason, escaped; damaged inputs capped with their offsets.
    #expect(html.ranges(of: "in/x.jsonl:").count == ReportData.examplesPerReason)
    #expect(html.contains("{&lt;b&gt;1"))
    #expect(html.contains("truncated at byte 1049"))
    #expect(!html.contains("truncated at byte 1050"))
    #expect(html.contains("… and 10 more"))
  }

  @Test func terminalSummaryShowsControlsAsMarks() {
    var summary = PathSummary()
    summary.topJourneys = [
      PathSummary.Journey(
        steps: ["web:/\u{1B}[2J\u{1B}]0;pwned\u{07}", "web:/b"], support: 3, share: 0.5,
        medianSeconds: nil)
    ]
    summary.funnels = [
      PathSummary.Funnel(
        name: "f\u{9B}1m", count: "sessions", entered: 10, completed: 4, conversion: 0.4,
        steps: [
          PathSummary.FunnelStep(
            step: "web:/a", reached: 10, conversionFromStart: 1, medianSecondsFromPrevious: nil),
          PathSummary.FunnelStep(
            step: "web:/b", reached: 4, conversionFromStart: 0.4, medianSecondsFromPrevious: 3),
        ])
    ]
    var run = RunSummary(
      pipeline: "p", inputs: 1, inputsDamaged: 0,
      events: RunSummary.Events(
        read: 10, accepted: 9, duplicates: 0, identify: 0, filtered: [:],
        rejected: ["invalid_json": 1], rejectedTotal: 1, skipped: 0, sessionized: 9),
      firstEvent: nil, lastEvent: nil, visitors: 1, users: 0, sessions: 2,
      identity: RunSummary.Identity(
        mode: "device", stitchedAnonymousIds: 0, anonymousIdsWithSeveralUsers: 0, junkIds: 0),
      sessionDurationS: RunSummary.Durations(median: 1, p90: 2, mean: 1),
      bounceRate: 0, sessionsPerChannel: [:], goals: [:], badRowRatio: 0.1)
    run.paths = summary
    let lines = TerminalSummary.lines(run, report: "out/report.html")
    let text = lines.joined(separator: "\n")
    #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(!text.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) })
    #expect(text.contains("\\u{1B}[2J"))  // as every line polku prints shows ESC
    #expect(text.contains("biggest drop web:/a → web:/b (−6)"))
    #expect(text.contains("Report: out/report.html"))
    #expect(text.contains("invalid_json 1"))
  }
}
