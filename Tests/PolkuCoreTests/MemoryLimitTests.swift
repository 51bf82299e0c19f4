import Testing

@testable import PolkuCore

/// `--memory-limit`: sizes as written, and runs whose night does not fit stopping with
/// nothing published.
@Suite struct MemoryLimitTests {
  static let root = IngestTestKit.packageRoot

  @Test func sizesAsWritten() {
    let machine = 10_000 << 20
    func bytes(_ text: String) -> Int? { MemoryLimit(parsing: text, machineBytes: machine)?.bytes }
    #expect(bytes("16G") == 16 << 30 && bytes("16GiB") == 16 << 30 && bytes("16gb") == 16 << 30)
    #expect(bytes("512M") == 512 << 20 && bytes(" 512MiB ") == 512 << 20)
    #expect(bytes("1.5G") == 3 << 29 && bytes("64K") == 64 << 10 && bytes("2T") == 2 << 40)
    #expect(bytes("123") == 123 && bytes("123B") == 123)
    #expect(bytes("50%") == machine / 2 && bytes("100%") == machine)
    for bad in ["", "0", "0G", "-1G", "12Q", "G", "%", "0%", "150%", "1e9", "1 2G", "1..5G"] {
      #expect(bytes(bad) == nil, "'\(bad)'")
    }
    #expect(MemoryLimit(parsing: "50%", machineBytes: nil) == nil)
    // The budget in events: what is left after the base, at the model's bytes an event.
    let limit = MemoryLimit(bytes: MemoryLimit.baseBytes + 1_000 * MemoryLimit.bytesPerEvent)
    #expect(limit.maxEvents == 1_000)
    #expect(MemoryLimit(bytes: 1).maxEvents == 0)
    #expect(MemoryLimit.standard().map { $0.bytes > 0 } ?? true)
  }

  func options(_ out: String, maxEvents: Int?) throws -> RunOptions {
    let loaded = try LoadedPipeline.load(path: "\(Self.root)/Pipelines/omnichannel.json")
    var options = RunOptions(
      pipeline: loaded,
      inputs: ["\(Self.root)/SampleData/segment", "\(Self.root)/SampleData/touchpoints"],
      outputDirectory: out, threads: 2)
    options.memoryLimit = maxEvents.map {
      MemoryLimit(bytes: MemoryLimit.baseBytes + $0 * MemoryLimit.bytesPerEvent)
    }
    return options
  }

  @Test func aNightThatDoesNotFitStopsAndKeepsThePreviousOutputs() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let first = try Runner.run(try options("\(dir)/out", maxEvents: nil))
    let events = first.summary.events.accepted
    #expect(events > 1_000)
    let before = try MapPartTests.outputs("\(dir)/out")
    let manifest = try FileBytes.read("\(dir)/out/manifest.json")

    // One event fewer than the night holds: stopped, exit 71, nothing published.
    do {
      _ = try Runner.run(try options("\(dir)/out", maxEvents: events - 1))
      Issue.record("expected the run to stop at the memory limit")
    } catch let error as PolkuError {
      #expect(error.code == .resources && error.code.exitStatus == 71)
      #expect(
        error.message.contains("--memory-limit") && error.message.contains("nothing published"))
    }
    #expect(try MapPartTests.outputs("\(dir)/out") == before)
    #expect(try FileBytes.read("\(dir)/out/manifest.json") == manifest)
    #expect(OutputFolder.entries(dir).filter { $0.contains("polku-tmp") }.isEmpty)

    // Exactly the night's events fit: the same outputs as without a limit.
    let fits = try Runner.run(try options("\(dir)/fits", maxEvents: events))
    #expect(fits.summary == first.summary)
    #expect(try MapPartTests.outputs("\(dir)/fits") == before)
  }

  @Test func aMergeOfMapOutputsThatDoesNotFitStopsBeforeSessionising() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let run = try options("\(dir)/run", maxEvents: nil)
    let events = try Runner.run(run).summary.events.accepted
    let parts = "\(dir)/parts"
    try OutputFolder.makeDirectories(parts)
    try MapPartTests.mapParts(
      try InputFiles.resolve(run.inputs), pipeline: run.pipeline.spec, into: parts)
    for (maxEvents, fits) in [(events - 1, false), (events, true)] {
      var merge = try options("\(dir)/merge", maxEvents: maxEvents)
      merge.inputs = [parts]
      merge.mapParts = try MapParts.read(folders: [parts], threads: 2)
      do {
        _ = try Runner.run(merge)
        #expect(fits, "a merge over the limit published")
      } catch let error as PolkuError {
        #expect(!fits && error.code == .resources, "\(error)")
        #expect(error.message.contains("this run's \(events) events"))
      }
    }
  }
}
