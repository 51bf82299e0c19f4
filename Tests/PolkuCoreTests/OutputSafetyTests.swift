import Testing

@testable import PolkuCore

/// Locks, atomic publishing and failure paths that must leave previous outputs alone.
@Suite struct OutputSafetyTests {
  static let root = URLPath.packageRoot

  func options(_ out: String, ratio: Double? = nil) throws -> RunOptions {
    var loaded = try LoadedPipeline.load(path: "\(Self.root)/Pipelines/segment-web.json")
    if let ratio { loaded.spec.quality.maxBadRowRatio = ratio }
    return RunOptions(
      pipeline: loaded, inputs: ["\(Self.root)/SampleData/segment"], outputDirectory: out,
      threads: 2)
  }

  @Test func secondRunOnALockedOutputFailsWithLocked() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let held = try RunLock(for: "\(dir)/out")
    defer { held.release() }
    do {
      _ = try Runner.run(try options("\(dir)/out"))
      Issue.record("expected the run to fail")
    } catch let error as PolkuError {
      #expect(error.code == .locked)
      #expect(error.message.contains("\(dir)/out"))
    }
  }

  @Test func filesThatNoInputMatchesAreNoInput() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    var wrong = try options("\(dir)/out")
    wrong.inputs = ["\(Self.root)/SampleData/access"]
    wrong.pipeline.spec.inputs[0].files = "*.jsonl*"
    do {
      _ = try Runner.run(wrong)
      Issue.record("expected no input")
    } catch let error as PolkuError {
      #expect(error.code == .noInput)
      #expect(error.message.contains("*.jsonl*") && error.message.contains("access-2026-11-01"))
    }
    #expect(!OutputFolder.entries(dir).contains("out"))
  }

  @Test func aStaleLockFileDoesNotBlock() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    // A lock file left by a killed run: nobody holds flock on it.
    try FileBytes.write(Array("pid 999999\n".utf8), to: "\(dir)/.out.polku.lock")
    let result = try Runner.run(try options("\(dir)/out"))
    #expect(result.summary.sessions > 0)
  }

  @Test func failedRunKeepsThePreviousOutputAndLeavesNoStaging() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    _ = try Runner.run(try options("\(dir)/out"))
    let before = try FileBytes.read("\(dir)/out/sessions.csv")
    // Leftover staging of a killed run: removed by the next run.
    try OutputFolder.makeDirectories("\(dir)/.out.polku-tmp-424242")
    do {
      _ = try Runner.run(try options("\(dir)/out", ratio: 0.0001))
      Issue.record("expected a data-quality failure")
    } catch let error as PolkuError {
      #expect(error.code == .dataQuality)
      #expect(error.message.contains("_out.failed.bad_rows.jsonl"))
    }
    #expect(try FileBytes.read("\(dir)/out/sessions.csv") == before)
    let leftovers = OutputFolder.entries(dir).filter { $0.contains("polku-tmp") }
    #expect(leftovers.isEmpty, "staging left: \(leftovers)")
    let kept = try FileBytes.read("\(dir)/_out.failed.bad_rows.jsonl")
    #expect(String(decoding: kept, as: UTF8.self).split(separator: "\n").count == 19)
  }

  @Test func rerunReplacesTheOutputAsAWhole() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    _ = try Runner.run(try options("\(dir)/out"))
    try FileBytes.write(Array("stale".utf8), to: "\(dir)/out/stale.txt")
    _ = try Runner.run(try options("\(dir)/out"))
    #expect(!OutputFolder.entries("\(dir)/out").contains("stale.txt"))
    #expect(OutputFolder.entries("\(dir)/out").contains("sessions.csv"))
  }

  @Test func partitionsOfOtherDaysAreUntouched() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    var first = try options("\(dir)/out", ratio: 1)
    first.date = "2026-11-01"
    _ = try Runner.run(first)
    let day1 = try FileBytes.read("\(dir)/out/dt=2026-11-01/sessions.csv")
    var second = first
    second.date = "2026-11-02"
    _ = try Runner.run(second)
    _ = try Runner.run(second)
    #expect(try FileBytes.read("\(dir)/out/dt=2026-11-01/sessions.csv") == day1)
    #expect(
      OutputFolder.entries("\(dir)/out").filter { $0.hasPrefix("dt=") }.sorted() == [
        "dt=2026-11-01", "dt=2026-11-02",
      ])
  }

  @Test func metricsFileIsWrittenForSuccessAndFailure() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    var ok = try options("\(dir)/out")
    ok.metricsFile = "\(dir)/polku.prom"
    _ = try Runner.run(ok)
    let good = String(decoding: try FileBytes.read("\(dir)/polku.prom"), as: UTF8.self)
    #expect(good.contains("polku_run_success{pipeline=\"segment-web\"} 1"))
    #expect(
      good.contains(
        "polku_events_rejected_total{pipeline=\"segment-web\",reason=\"invalid_json\"} 9"))
    #expect(good.contains("polku_last_success_timestamp_seconds"))
    var bad = try options("\(dir)/out", ratio: 0.0001)
    bad.metricsFile = "\(dir)/polku.prom"
    #expect(throws: PolkuError.self) { try Runner.run(bad) }
    let failed = String(decoding: try FileBytes.read("\(dir)/polku.prom"), as: UTF8.self)
    #expect(failed.contains("polku_run_success{pipeline=\"segment-web\"} 0"))
    #expect(failed.contains("polku_run_exit_status{pipeline=\"segment-web\"} 65"))
  }

  @Test(arguments: [
    ("UTC", "2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z"),
    ("+02:00", "2026-10-31T22:00:00.000Z", "2026-11-01T22:00:00.000Z"),
    ("Europe/Helsinki", "2026-10-31T22:00:00.000Z", "2026-11-01T22:00:00.000Z"),
  ])
  func dayWindowsFollowTheTimeZone(zone: String, start: String, end: String) throws {
    let window = try DayWindow(date: "2026-11-01", timeZone: zone)
    #expect(TimestampParser.formatISO8601(window.start) == start)
    #expect(TimestampParser.formatISO8601(window.end) == end)
  }

  @Test func daylightSavingDayIs25HoursLong() throws {
    // Europe/Helsinki leaves summer time on the last Sunday of October 2026 (25 October).
    let window = try DayWindow(date: "2026-10-25", timeZone: "Europe/Helsinki")
    #expect(window.end - window.start == 25 * 3_600_000)
  }
}

@Suite struct DateWindowTests {
  @Test func oneDayOrAWindowOfDays() throws {
    #expect(try DayWindow.days("2026-11-01") == ["2026-11-01"])
    #expect(
      try DayWindow.days("2026-10-30..2026-11-02") == [
        "2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02",
      ])
  }

  @Test(arguments: [
    "2026-11-02..2026-11-01", "2026-11", "2026-11-01..", "x..y", "2025-01-01..2026-06-01",
  ])
  func badWindowsAreUsageErrors(text: String) {
    #expect(throws: PolkuError.self) { try DayWindow.days(text) }
  }

  /// Nightly runs that point at one folder of every day's files fold each day once.
  @Test func nightlyRunsOverAGrowingFolderFoldEachDayOnce() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let loaded = try LoadedPipeline.load(
      path: "\(URLPath.packageRoot)/Pipelines/segment-web.json")
    var summaries: [RunSummary] = []
    for day in try DayWindow.days("2026-11-01..2026-11-03") {
      var options = RunOptions(
        pipeline: loaded, inputs: ["\(URLPath.packageRoot)/SampleData/segment"],
        outputDirectory: "\(dir)/out", threads: 2, date: day, statePath: "\(dir)/state")
      options.pipeline.spec.quality.maxBadRowRatio = 1
      summaries.append(try Runner.run(options).summary)
    }
    #expect(summaries.count == 3)
    #expect(summaries.allSatisfy { $0.sessions > 0 })
    // Day two and three started from the sessions still open at the end of the day before.
    #expect(summaries[1].events.carried > 0)
    let state = try CustomerState.load(from: "\(dir)/state")
    #expect(state.folded.count == 3)
  }
}
