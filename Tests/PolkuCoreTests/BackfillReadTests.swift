import PolkuGenerate
import Testing

@testable import PolkuCore

/// A backfill (`--date FROM..TO` over a folder of every day's files) reads each file on the
/// first night and then only on the nights it has records of, with the same outputs as
/// nights that read everything.
@Suite struct BackfillReadTests {
  static let days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]
  static let outputs = [
    "sessions.csv", "summary.json", "bad_rows.jsonl", "journeys.csv", "goal_paths.csv",
    "funnels.csv", "transitions.csv", "patterns.csv", "churn_signals.csv", "customers.csv",
  ]

  /// Web events and contact-centre exports (with malformed lines, bad timestamps and
  /// local-offset times), two files a day each, plus access logs no input of the pipeline
  /// reads.
  static func data(in dir: String) throws -> [String] {
    var spec = GeneratorSpec()
    spec.seed = 5
    spec.visitors = 600
    spec.days = days.count
    spec.filesPerDay = 2
    spec.writeSessionsTruth = false
    try Generator.generate(spec, into: "\(dir)/data", gzip: true)
    return ["\(dir)/data/segment", "\(dir)/data/touchpoints", "\(dir)/data/access"]
  }

  static func night(
    _ day: String, inputs: [String], out: String, state: String, profiles: FileProfiles?
  ) throws {
    var options = RunOptions(
      pipeline: try LoadedPipeline.load(
        path: "\(URLPath.packageRoot)/Pipelines/omnichannel.json"),
      inputs: inputs, outputDirectory: out, threads: 2, date: day, statePath: state)
    options.pipeline.spec.quality.maxBadRowRatio = 1
    options.fileProfiles = profiles
    _ = try Runner.run(options)
  }

  static func read(_ folder: String) -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    for name in outputs { files[name] = (try? FileBytes.read("\(folder)/\(name)")) ?? [] }
    return files
  }

  @Test func laterNightsReadOnlyTheirDaysFilesWithTheSameOutputs() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let inputs = try Self.data(in: dir)
    let profiles = FileProfiles()
    for day in Self.days + ["2026-11-05"] {
      try Self.night(
        day, inputs: inputs, out: "\(dir)/once", state: "\(dir)/once-state", profiles: profiles)
      try Self.night(
        day, inputs: inputs, out: "\(dir)/every", state: "\(dir)/every-state", profiles: nil)
      let once = Self.read("\(dir)/once/dt=\(day)")
      let every = Self.read("\(dir)/every/dt=\(day)")
      #expect((every["sessions.csv"] ?? []).count > 100 || day == "2026-11-05")
      for name in Self.outputs {
        #expect(once[name] == every[name], "\(day)/\(name) differs")
      }
    }
    #expect(
      try CustomerState.load(from: "\(dir)/once-state").customers
        == CustomerState.load(from: "\(dir)/every-state").customers)
    // The generator puts each record in a file of its UTC day. The files the pipeline
    // reads (web and contact files, not access logs) are all read on the first night; each
    // later night reads only its own day's files, and the night after the data none.
    let files = try InputFiles.resolve(inputs).filter { !$0.contains("/access/") }
    #expect(files.count == 16)
    let perDay = files.count / Self.days.count
    #expect(profiles.reads.read == files.count + (Self.days.count - 1) * perDay)
    #expect(profiles.reads.skipped == (Self.days.count + 1) * files.count - profiles.reads.read)
  }

  /// A file that changed since it was profiled is read again.
  @Test func aFileChangedDuringTheBackfillIsReadAgain() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let inputs = try Self.data(in: dir)
    let profiles = FileProfiles()
    try Self.night(
      "2026-11-01", inputs: inputs, out: "\(dir)/out", state: "\(dir)/state",
      profiles: profiles)
    // A day-one file is replaced (by a plain-text one) holding a record of day three.
    let file = "\(dir)/data/segment/events-2026-11-01-0.jsonl.gz"
    let late =
      #"{"messageId":"late-1","timestamp":"2026-11-03T12:00:00Z","type":"page","anonymousId":"a-late","context":{"page":{"path":"/late"}}}"#
    try FileBytes.write(Array((late + "\n").utf8), to: file)
    try Self.night(
      "2026-11-03", inputs: inputs, out: "\(dir)/out", state: "\(dir)/state",
      profiles: profiles)
    let sessions = String(
      decoding: try FileBytes.read("\(dir)/out/dt=2026-11-03/sessions.csv"), as: UTF8.self)
    #expect(sessions.contains(",a-late,"))
  }
}
