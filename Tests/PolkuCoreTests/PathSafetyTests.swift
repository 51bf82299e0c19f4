import Testing

@testable import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A run writes only inside its `--out`, `--state` and `--metrics-file` targets: symbolic
/// links planted where polku writes are replaced or refused, never written through, and
/// names from the input (files, values) never become output paths.
@Suite struct PathSafetyTests {
  static let root = URLPath.packageRoot
  static let victimText: [UInt8] = Array("not polku's to write\n".utf8)

  func options(_ out: String, ratio: Double = 1) throws -> RunOptions {
    var loaded = try LoadedPipeline.load(path: "\(Self.root)/Pipelines/segment-web.json")
    loaded.spec.quality.maxBadRowRatio = ratio
    return RunOptions(
      pipeline: loaded, inputs: ["\(Self.root)/SampleData/segment"], outputDirectory: out,
      threads: 2)
  }

  /// A file outside every target, and a folder holding one, for links to point at.
  func victims(_ dir: String) throws -> (file: String, folder: String) {
    try OutputFolder.makeDirectories("\(dir)/elsewhere/folder")
    try FileBytes.write(Self.victimText, to: "\(dir)/elsewhere/file")
    try FileBytes.write(Self.victimText, to: "\(dir)/elsewhere/folder/kept")
    return ("\(dir)/elsewhere/file", "\(dir)/elsewhere/folder")
  }

  func expectUntouched(_ dir: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(
      (try? FileBytes.read("\(dir)/elsewhere/file")) == Self.victimText,
      sourceLocation: sourceLocation)
    #expect(
      (try? FileBytes.read("\(dir)/elsewhere/folder/kept")) == Self.victimText,
      sourceLocation: sourceLocation)
    #expect(
      OutputFolder.entries("\(dir)/elsewhere").sorted() == ["file", "folder"],
      sourceLocation: sourceLocation)
    #expect(
      OutputFolder.entries("\(dir)/elsewhere/folder") == ["kept"],
      sourceLocation: sourceLocation)
  }

  func link(_ target: String, at path: String) {
    #expect(symlink(target, path) == 0, "symlink \(path): errno \(errno)")
  }

  func isLink(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
  }

  @Test func linksPlantedInThePreviousOutputAreNotFollowed() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let victim = try victims(dir)
    _ = try Runner.run(try options("\(dir)/out"))
    for name in ["sessions.csv", "summary.json", "manifest.json", "bad_rows.jsonl"] {
      unlink("\(dir)/out/\(name)")
      link(victim.file, at: "\(dir)/out/\(name)")
    }
    link(victim.folder, at: "\(dir)/out/sub")
    let result = try Runner.run(try options("\(dir)/out"))
    expectUntouched(dir)
    #expect(result.summary.sessions > 0)
    let sessions = try FileBytes.read("\(dir)/out/sessions.csv")
    #expect(!isLink("\(dir)/out/sessions.csv"))
    #expect(sessions.starts(with: Array("session_id,".utf8)))
    #expect(!OutputFolder.entries("\(dir)/out").contains("sub"))
  }

  @Test func aLinkAtTheLockIsRefusedAndNotWrittenThrough() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let victim = try victims(dir)
    link(victim.file, at: "\(dir)/.out.polku.lock")
    do {
      _ = try Runner.run(try options("\(dir)/out"))
      Issue.record("expected the run to refuse the linked lock")
    } catch let error as PolkuError {
      #expect(error.code == .io)
      #expect(error.message.contains("symbolic link"), "\(error.message)")
    }
    expectUntouched(dir)
    #expect(!OutputFolder.entries(dir).contains("out"))
  }

  /// With `--date` the lock, the staging folder and the kept bad rows are inside `OUT`.
  @Test func linksPlantedInsideTheOutputForAPartitionAreNotFollowed() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let victim = try victims(dir)
    var day = try options("\(dir)/out")
    day.date = "2026-11-01"
    _ = try Runner.run(day)
    // The staging name of this process, and the kept bad rows of a failed run.
    link(victim.folder, at: "\(dir)/out/.dt=2026-11-01.polku-tmp-\(getpid())")
    link(victim.file, at: "\(dir)/out/_dt=2026-11-01.failed.bad_rows.jsonl")
    var failing = day
    failing.pipeline.spec.quality.maxBadRowRatio = 0.0001
    #expect(throws: PolkuError.self) { try Runner.run(failing) }
    expectUntouched(dir)
    let kept = "\(dir)/out/_dt=2026-11-01.failed.bad_rows.jsonl"
    #expect(!isLink(kept))
    #expect(String(decoding: try FileBytes.read(kept), as: UTF8.self).contains("invalid_json"))
    _ = try Runner.run(day)
    expectUntouched(dir)
    // The lock of a partition.
    unlink("\(dir)/out/.dt=2026-11-01.polku.lock")
    link(victim.file, at: "\(dir)/out/.dt=2026-11-01.polku.lock")
    #expect(throws: PolkuError.self) { try Runner.run(day) }
    expectUntouched(dir)
  }

  @Test func linksPlantedInTheStateFolderAreNotFollowed() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let victim = try victims(dir)
    var run = try options("\(dir)/out")
    run.statePath = "\(dir)/state"
    _ = try Runner.run(run)
    let live = String(decoding: try FileBytes.read("\(dir)/state/CURRENT"), as: UTF8.self)
    let generation = try #require(Int(live.dropFirst(4).prefix { $0.isNumber }))
    link(victim.file, at: "\(dir)/state/CURRENT.tmp")
    link(victim.folder, at: "\(dir)/state/gen-0")
    link(victim.folder, at: "\(dir)/state/tmp-\(generation + 1)-\(getpid())")
    link(victim.folder, at: "\(dir)/state/tmp-99-1")
    _ = try Runner.run(run)
    expectUntouched(dir)
    let names = OutputFolder.entries("\(dir)/state").sorted()
    #expect(names == ["CURRENT", "gen-\(generation + 1)"], "\(names)")
    #expect(try CustomerState.load(from: "\(dir)/state").generation == generation + 1)
  }

  @Test func aLinkAtTheMetricsFilesTemporaryNameIsNotFollowed() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let victim = try victims(dir)
    var run = try options("\(dir)/out")
    run.metricsFile = "\(dir)/metrics/polku.prom"
    try OutputFolder.makeDirectories("\(dir)/metrics")
    link(victim.file, at: "\(dir)/metrics/polku.prom.tmp")
    _ = try Runner.run(run)
    expectUntouched(dir)
    let metrics = String(decoding: try FileBytes.read("\(dir)/metrics/polku.prom"), as: UTF8.self)
    #expect(metrics.contains("polku_run_success{pipeline=\"segment-web\"} 1"))
    #expect(OutputFolder.entries("\(dir)/metrics") == ["polku.prom"])
  }

  /// Input file names and values with `..`, slashes and line feeds land in no path.
  @Test func hostileNamesAndValuesWriteNothingOutsideTheTargets() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    try OutputFolder.makeDirectories("\(dir)/in")
    let hostile = [
      #"{"messageId":"m1","timestamp":"2026-11-01T10:00:00Z","type":"page","anonymousId":"../../escape","userId":"/tmp/abs\n..","context":{"page":{"path":"/../../../x"},"campaign":{"source":"..\/..\/y"}}}"#,
      #"{"messageId":"m2","timestamp":"2026-11-01T10:01:00Z","type":"track","event":"../..\n/z","anonymousId":"../../escape"}"#,
    ].joined(separator: "\n")
    // Not hidden (a leading dot would be), so both are read.
    try FileBytes.write(Array(hostile.utf8), to: "\(dir)/in/\n..\n..jsonl")
    try FileBytes.write(Array(hostile.utf8), to: "\(dir)/in/x .. \u{1B}[2J.jsonl")
    var run = try options("\(dir)/work/out")
    run.inputs = ["\(dir)/in"]
    run.statePath = "\(dir)/work/state"
    run.metricsFile = "\(dir)/work/polku.prom"
    run.date = "2026-11-01"
    let result = try Runner.run(run)
    #expect(result.summary.events.read == 4)
    #expect(
      OutputFolder.entries("\(dir)/work").sorted() == [
        ".state.polku.lock", "out", "polku.prom", "state",
      ])
    #expect(
      OutputFolder.entries("\(dir)/work/out").sorted() == [
        ".dt=2026-11-01.polku.lock", "dt=2026-11-01",
      ])
    #expect(
      OutputFolder.entries("\(dir)/work/out/dt=2026-11-01").sorted() == [
        "bad_rows.jsonl", "churn_signals.csv", "customers.csv", "funnels.csv", "goal_paths.csv",
        "identities.csv", "journeys.csv", "manifest.json", "metrics.prom", "patterns.csv",
        "report.html", "sessions.csv", "summary.json", "transitions.csv",
      ])
    #expect(OutputFolder.entries(dir).sorted() == ["in", "work"])
    #expect(OutputFolder.entries("\(dir)/in").count == 2)
  }

  @Test(arguments: ["../../x", "2026-11-01/../..", "2026-1/-01", "2026-11-0\n", "+026-11-01"])
  func datesThatAreNotDaysAreRefused(date: String) {
    #expect(throws: PolkuError.self) { try DayWindow(date: date, timeZone: "UTC") }
    #expect(throws: PolkuError.self) { try DayWindow.days(date) }
  }
}
