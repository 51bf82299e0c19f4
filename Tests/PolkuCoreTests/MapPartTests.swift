import Testing

@testable import PolkuCore

/// The map / merge split of a cluster run: files read by map tasks (``MapWorker``), their
/// parts read back (``MapParts``) and published by the merge, against `polku run` on the
/// same files.
@Suite struct MapPartTests {
  static let root = IngestTestKit.packageRoot

  /// Writes `files`' map parts as a map task would, `perPart` files to a part file.
  static func mapParts(
    _ files: [String], pipeline: PipelineSpec, into folder: String, perPart: Int = 2
  ) throws {
    let worker = try MapWorker(pipeline: pipeline, date: nil)
    let cache = PageNameCache()
    var part: [UInt8] = []
    var written = 0
    for (index, file) in files.enumerated() {
      try worker.read(file, index: index, pageCache: cache, into: &part)
      if (index + 1) % perPart == 0 || index == files.count - 1 {
        try FileBytes.write(part, to: "\(folder)/part-\(String(written + 100_000))")
        part = []
        written += 1
      }
    }
  }

  /// Every output of a run at `out`, but the manifest and metrics (which hold times).
  static func outputs(_ out: String) throws -> [String: [UInt8]] {
    var found: [String: [UInt8]] = [:]
    for name in OutputFolder.entries(out) where name != "manifest.json" && name != "metrics.prom" {
      found[name] = try FileBytes.read("\(out)/\(name)")
    }
    return found
  }

  @Test(arguments: [1, 3])
  func mergeOfMapPartsPublishesWhatRunDoes(perPart: Int) throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    // SampleData plus a truncated copy of one file (damaged: lines before the damage
    // kept) and a file no input of the pipeline matches (skipped).
    let extra = "\(dir)/extra"
    try OutputFolder.makeDirectories(extra)
    let sample = try FileBytes.read("\(Self.root)/SampleData/segment/events-2026-11-01-0.jsonl.gz")
    try FileBytes.write(Array(sample.prefix(sample.count * 2 / 3)), to: "\(extra)/cut.jsonl.gz")
    try FileBytes.write(Array("not a log\n".utf8), to: "\(extra)/notes.txt")
    let inputs = [
      "\(Self.root)/SampleData/segment", "\(Self.root)/SampleData/touchpoints", extra,
    ]
    let loaded = try LoadedPipeline.load(path: "\(Self.root)/Pipelines/omnichannel.json")
    let files = try InputFiles.resolve(inputs)

    let run = RunOptions(
      pipeline: loaded, inputs: inputs, outputDirectory: "\(dir)/run", threads: 2)
    let expected = try Runner.run(run)
    #expect(expected.manifest.inputs.contains { $0.status == .damaged })
    #expect(expected.manifest.inputs.contains { $0.status == .skipped })

    let parts = "\(dir)/parts"
    try OutputFolder.makeDirectories(parts)
    try Self.mapParts(files, pipeline: loaded.spec, into: parts, perPart: perPart)
    var merge = RunOptions(
      pipeline: loaded, inputs: [parts], outputDirectory: "\(dir)/merge", threads: 3)
    merge.mapParts = try MapParts.read(folders: [parts])
    let merged = try Runner.run(merge)

    #expect(merged.manifest.inputs == expected.manifest.inputs)
    #expect(merged.manifest.warnings == expected.manifest.warnings)
    #expect(merged.manifest.outputs == expected.manifest.outputs)
    let want = try Self.outputs("\(dir)/run")
    let got = try Self.outputs("\(dir)/merge")
    #expect(want.keys.sorted() == got.keys.sorted())
    for (name, bytes) in want { #expect(got[name] == bytes, "\(name) differs") }
  }

  @Test func partsThatAreNotWholeAreRefused() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let loaded = try LoadedPipeline.load(path: "\(Self.root)/Pipelines/omnichannel.json")
    let files = try InputFiles.resolve(["\(Self.root)/SampleData/touchpoints"])
    try #require(files.count >= 3)
    let whole = "\(dir)/whole"
    try OutputFolder.makeDirectories(whole)
    try Self.mapParts(files, pipeline: loaded.spec, into: whole, perPart: 1)
    #expect(try MapParts.read(folders: [whole]).files == files)

    func refusal(_ change: (String) throws -> Void) throws -> String {
      let folder = "\(dir)/case"
      IngestTestKit.remove(folder)
      try OutputFolder.makeDirectories(folder)
      try Self.mapParts(files, pipeline: loaded.spec, into: folder, perPart: 1)
      try change(folder)
      do {
        _ = try MapParts.read(folders: [folder])
        return "read"
      } catch let error as PolkuError {
        #expect(error.code == .dataQuality)
        return error.message
      }
    }
    let first = "part-100000"
    // A part cut short (its last line gone): the file has no end line.
    let cut = try refusal { folder in
      let bytes = try FileBytes.read("\(folder)/\(first)")
      let lines = bytes.split(separator: 10)
      try FileBytes.write(
        Array(lines.dropLast().joined(separator: [10])) + [10], to: "\(folder)/\(first)")
    }
    #expect(cut.contains(first) && cut.contains("cut short"))
    // An event lost on the way: the end line's counts do not match.
    let lost = try refusal { folder in
      var lines = try FileBytes.read("\(folder)/\(first)").split(separator: 10)
      let event = try #require(lines.firstIndex { $0.starts(with: Array("e ".utf8)) })
      lines.remove(at: event)
      try FileBytes.write(Array(lines.joined(separator: [10])) + [10], to: "\(folder)/\(first)")
    }
    #expect(lost.contains("\(first) line") && lost.contains("not whole"))
    // A file's part missing altogether, and one written twice.
    let missing = try refusal { folder in
      IngestTestKit.remove("\(folder)/part-100001")
    }
    #expect(missing.contains("file 1 of \(files.count) is missing"))
    let twice = try refusal { folder in
      try FileBytes.write(try FileBytes.read("\(folder)/\(first)"), to: "\(folder)/part-200000")
    }
    #expect(twice.contains("appears twice"))
    let garbage = try refusal { folder in
      try FileBytes.write(Array("hello world\n".utf8), to: "\(folder)/part-000000")
    }
    #expect(garbage.contains("part-000000 line 1"))
  }

  @Test func eventLinesAreReadExactlyOrRefused() {
    func read(_ text: String) -> Event? {
      Array(text.utf8).withUnsafeBufferPointer { MapPartReader.event($0) }
    }
    let event = read("e -1500 3 7 12 0 4 2 ff00a1")
    #expect(event?.time == -1500 && event?.kind == .contact && event?.channel == 7)
    #expect(event?.anonymousId == 12 && event?.userId == 0 && event?.name == 4)
    #expect(event?.source == 2 && event?.messageHash == 0xff00a1)
    for bad in [
      "e 1 9 0 1 1 1 0 ff", "e 1 0 256 1 1 1 0 ff", "e 1 0 0 1 1 1 0", "e 1 0 0 1 1 1 0 ff ",
      "e 1 0 0 1 1 1 0 FF", "e 1 0 0 4294967296 1 1 0 ff", "e 1 0 0 1 1 1 0 11112222333344445",
      "e  1 0 0 1 1 1 0 ff", "e 1 0 0 -1 1 1 0 ff",
    ] {
      #expect(read(bad) == nil, "\(bad)")
    }
  }

  @Test func percentTextRoundTripsEveryByte() throws {
    let bytes = (0...255).map { UInt8($0) } + Array("% %41 end".utf8)
    var escaped: [UInt8] = []
    bytes.withUnsafeBufferPointer { PercentText.append($0, to: &escaped) }
    #expect(
      !escaped.contains(32) && !escaped.contains(9) && !escaped.contains(10) && !escaped.contains(1)
    )
    #expect(PercentText.decode(escaped[...]) == bytes)
    #expect(PercentText.decode(Array("%4".utf8)[...]) == nil)
    #expect(PercentText.decode(Array("%zz".utf8)[...]) == nil)
  }
}
