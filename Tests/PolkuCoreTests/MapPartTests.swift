import Testing

@testable import PolkuCore

#if canImport(Glibc)
  import Glibc
#endif

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
    merge.mapParts = try MapParts.read(folders: [parts], threads: 2)
    let merged = try Runner.run(merge)

    #expect(merged.manifest.inputs == expected.manifest.inputs)
    // What --state would record as folded: the map tasks' fingerprints of the files.
    var runWithState = run
    runWithState.statePath = "\(dir)/state"
    var mergeWithState = merge
    mergeWithState.statePath = "\(dir)/state"
    mergeWithState.inputs = ["/nonexistent"]
    #expect(try RunPlan(mergeWithState).fingerprints == RunPlan(runWithState).fingerprints)
    #expect(try RunPlan(runWithState).fingerprints.count == files.count)
    #expect(merged.manifest.warnings == expected.manifest.warnings)
    #expect(merged.manifest.outputs == expected.manifest.outputs)
    let want = try Self.outputs("\(dir)/run")
    let got = try Self.outputs("\(dir)/merge")
    #expect(want.keys.sorted() == got.keys.sorted())
    // The report holds no path or time of the run: the merge's is the run's, byte for byte.
    #expect(want["report.html"] != nil)
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
      let event = try #require(lines.firstIndex { $0.starts(with: Array("E ".utf8)) })
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
    // A part that another polku wrote (a worker binary older than the merge's).
    let other = try refusal { folder in
      let bytes = try FileBytes.read("\(folder)/\(first)")
      let text = String(decoding: bytes, as: UTF8.self)
        .replacing(" \(MapPart.formatVersion) ", with: " polku-0.0.9/2 ")
      try FileBytes.write(Array(text.utf8), to: "\(folder)/\(first)")
    }
    #expect(other.contains("\(first) line 1") && other.contains("written by polku-0.0.9/2"))
  }

  @Test func filesGivenInlineAreReadAsFromTheirPath() throws {
    let loaded = try LoadedPipeline.load(path: "\(Self.root)/Pipelines/omnichannel.json")
    let worker = try MapWorker(pipeline: loaded.spec, date: nil)
    let local = "\(Self.root)/SampleData/segment/events-2026-11-01-0.jsonl.gz"
    let remote = "s3a://bucket/logs/events-2026-11-01-0.jsonl.gz"
    let bytes = try FileBytes.read(local)
    var encoded: [UInt8] = []
    bytes.withUnsafeBufferPointer { Base64.append($0, to: &encoded) }
    // Spark's base64() pads: both spellings are read.
    let padded = encoded + Array(repeating: UInt8(ascii: "="), count: (4 - encoded.count % 4) % 4)
    var fromPath: [UInt8] = []
    try worker.read(
      request: Array("4\t\(local)".utf8)[...], number: 1, pageCache: PageNameCache(),
      into: &fromPath)
    let expected = String(decoding: fromPath, as: UTF8.self).replacing(local, with: remote)
    for content in [encoded, padded] {
      var inline: [UInt8] = []
      try worker.read(
        request: (Array("4\t\(remote)\t".utf8) + content)[...], number: 1,
        pageCache: PageNameCache(), into: &inline)
      #expect(String(decoding: inline, as: UTF8.self) == expected)
    }
    #expect(expected.hasPrefix("file 4 \(bytes.count) ok "))
    // Bytes that are not base64, and a request without a path, are refused by line.
    for bad in ["4\t\(remote)\tnot base64!", "4", "x\t\(remote)", "4\t"] {
      var part: [UInt8] = []
      #expect(throws: PolkuError.self) {
        try worker.read(
          request: Array(bad.utf8)[...], number: 7, pageCache: PageNameCache(), into: &part)
      }
    }
  }

  @Test func requestLinesComeWholeWhateverTheirLength() throws {
    let dir = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(dir) }
    let long = [UInt8](repeating: UInt8(ascii: "A"), count: 3 << 20)
    let text: [UInt8] = Array("0\ta\n\n1\tb\t".utf8) + long + Array("\n2\tc".utf8)
    try FileBytes.write(text, to: "\(dir)/requests")
    let fd = open("\(dir)/requests", O_RDONLY)
    defer { close(fd) }
    var lines: [[UInt8]] = []
    try RequestLines(descriptor: fd).each { lines.append(Array($0)) }
    #expect(lines.count == 4)
    #expect(lines[0] == Array("0\ta".utf8) && lines[1].isEmpty)
    #expect(lines[2] == Array("1\tb\t".utf8) + long && lines[3] == Array("2\tc".utf8))
  }

  @Test func eventBlocksRoundTripOrAreRefused() throws {
    // Times that go back and forth (and before 1970), every kind, the widest ids.
    var events: [Event] = []
    for n in 0..<1_300 {
      let wander = Int64((n * 7_919) % 50_000) - 25_000
      let time: Int64 = n % 7 == 0 ? -1_500 : 1_793_574_979_583 + wander
      let hash: UInt64 = n % 5 == 0 ? 0 : UInt64(n) &* 0x9E37_79B9_7F4A_7C15
      let anon: UInt32 = n % 11 == 0 ? UInt32.max : UInt32(n)
      events.append(
        Event(
          time: time, messageHash: hash, anonymousId: anon, userId: UInt32(n % 3),
          name: UInt32(n * 31), source: UInt32(n % 2), channel: UInt8(n % 256),
          kind: EventKind(rawValue: UInt8(n % 4)) ?? .page))
    }
    events.append(Event(time: Event.timeRange.lowerBound, anonymousId: 1, userId: 0, name: 0))
    events.append(Event(time: Event.timeRange.upperBound, anonymousId: 1, userId: 0, name: 0))
    var out: [UInt8] = []
    MapPart.appendEvents(events, to: &out)
    let lines = out.split(separator: 10)
    #expect(lines.count == 3 && out.last == 10)
    var read: [Event] = []
    var scratch: [UInt8] = []
    for line in lines {
      let ok = Array(line).withUnsafeBufferPointer {
        MapPartReader.events($0, into: &read, scratch: &scratch)
      }
      #expect(ok)
    }
    #expect(read == events)
    // Compact: what the merge has to read is what crosses the cluster.
    #expect(out.count < events.count * 32)

    func accepts(_ text: String) -> Bool {
      var events: [Event] = []
      var scratch: [UInt8] = []
      let ok = Array(text.utf8).withUnsafeBufferPointer {
        MapPartReader.events($0, into: &events, scratch: &scratch)
      }
      #expect(ok || events.isEmpty, "a refused line left events behind: \(text)")
      return ok
    }
    func line(_ count: Int, _ bytes: [UInt8]) -> String {
      var encoded: [UInt8] = []
      bytes.withUnsafeBufferPointer { Base64.append($0, to: &encoded) }
      return "E \(count) " + String(decoding: encoded, as: UTF8.self)
    }
    let one: [UInt8] = [4, 0x0D, 1, 0, 2, 0] + [1, 0, 0, 0, 0, 0, 0, 0]  // time 2, channel 3, track
    #expect(accepts(line(1, one)))
    #expect(!accepts(line(2, one)), "fewer events than the count")
    #expect(!accepts(line(1, one + [0])), "bytes after the last event")
    #expect(!accepts(line(1, Array(one.dropLast()))), "a hash cut short")
    #expect(!accepts(line(1, [4, 0x80, 0x08, 1, 0, 2, 0] + one[6...])), "channel over 255")
    #expect(!accepts(line(1, [4, 0x0D, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 2, 0] + one[6...])))
    #expect(!accepts(line(1, Array(repeating: 0xFF, count: 10) + [0x7F] + one[1...])))
    #expect(!accepts(line(0, [])) && !accepts(line(513, one)) && !accepts("E 1"))
    #expect(!accepts(line(1, one) + "!"), "a byte outside the alphabet")
    #expect(!accepts("E 1 BB"), "bits set past the last byte")
  }

  @Test func base64RoundTripsEveryLength() {
    for count in 0..<70 {
      let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
      var text: [UInt8] = []
      bytes.withUnsafeBufferPointer { Base64.append($0, to: &text) }
      #expect(text.count == Base64.encodedCount(count))
      var back: [UInt8] = []
      let ok = text.withUnsafeBufferPointer { Base64.decode($0, into: &back) }
      #expect(ok && back == bytes)
    }
    // Padding is read when it makes whole quads, and only then.
    func decodes(_ text: String) -> [UInt8]? {
      var out: [UInt8] = []
      let ok = Array(text.utf8).withUnsafeBufferPointer { Base64.decode($0, into: &out) }
      return ok ? out : nil
    }
    #expect(
      decodes("QQ==") == [65] && decodes("QUI=") == [65, 66] && decodes("QUJD") == [65, 66, 67])
    for bad in ["QQ=", "Q===", "====", "QQ==QQ==", "QUI==", "=QUI"] {
      #expect(decodes(bad) == nil, "\(bad)")
    }
    // The standard alphabet, as RFC 4648's test vectors (padding dropped).
    var text: [UInt8] = []
    Array("foobar".utf8).withUnsafeBufferPointer { Base64.append($0, to: &text) }
    #expect(String(decoding: text, as: UTF8.self) == "Zm9vYmFy")
    text = []
    Array("fooba".utf8).withUnsafeBufferPointer { Base64.append($0, to: &text) }
    #expect(String(decoding: text, as: UTF8.self) == "Zm9vYmE")
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
