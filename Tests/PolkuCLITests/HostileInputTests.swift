import PolkuCore
import PolkuGenerate
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `polku` binary on hostile input: it never crashes, exits with a documented status,
/// names the file and the reason on stderr, and keeps every valid line.
@Suite struct HostileInputTests {
  /// Runs `polku run` on `inputs` into `scratch/out`.
  static func run(
    _ scratch: Scratch, _ inputs: [String], pipeline: String? = nil, fileSizeLimitKB: Int? = nil
  ) throws -> ProcessResult {
    let pipelinePath = try pipeline ?? scratch.pipeline()
    let result = try PolkuBinary.run(
      ["run", "--pipeline", pipelinePath, "--out", scratch.path("out"), "--threads", "2"]
        + inputs, scratch: scratch, fileSizeLimitKB: fileSizeLimitKB)
    #expect(result.isCleanExit, "not a documented exit: \(result)")
    return result
  }

  // MARK: - Damaged gzip

  @Test func truncatedGzipKeepsEveryCompleteLine() throws {
    let scratch = try Scratch()
    var names: [String] = []
    var expectedLines = 0
    var expectedDamaged = 0
    let cuts = [2, 5, 10, 11, 30, 100, 1000, 5000, -20, -9, -8, -4, -1]
    for (index, cut) in cuts.enumerated() {
      let text = Hostile.lines("t\(index)", count: 3000).joined()
      let gzip = try GzipWriter.compress(Array(text.utf8))
      let length = cut > 0 ? min(cut, gzip.count - 1) : gzip.count + cut
      let truncated = Array(gzip[0..<length])
      names.append(try scratch.write("in/cut\(index).jsonl.gz", truncated))
      // Every line zlib can inflate in full before the cut must arrive, and no more.
      expectedLines += Hostile.inflatedPrefix(truncated).filter { $0 == 10 }.count
      expectedDamaged += 1
    }
    let result = try Self.run(scratch, [scratch.path("in")])
    #expect(result.status == 0, "\(result.stderr)")
    for name in names {
      #expect(result.stderr.contains("\(name): damaged at byte"), "no damage for \(name)")
    }
    #expect(result.stderr.contains("truncated gzip member"))
    let summary = try scratch.summary(scratch.path("out"))
    #expect(summary.inputsDamaged == expectedDamaged)
    #expect(summary.events.read == expectedLines)
    #expect(summary.events.accepted == expectedLines)
    #expect(summary.events.rejectedTotal == 0)
    #expect(summary.sessions == expectedLines)
    #expect(expectedLines > 3000, "the cuts should leave whole lines to keep")
  }

  @Test func inputsDamagedBeforeTheirFirstLineFailTheRunAndKeepThePreviousOutput() throws {
    let scratch = try Scratch()
    let good = try scratch.write("good.jsonl", Hostile.lines("d", count: 5).joined())
    #expect(try Self.run(scratch, [good]).status == 0)
    let before = scratch.text(scratch.path("out/summary.json"))
    let gzip = try GzipWriter.compress(Array(Hostile.lines("d", count: 50).joined().utf8))
    var garbled = gzip
    for position in 10..<garbled.count - 8 { garbled[position] ^= 0x5A }
    let cut = try scratch.write("in/cut.jsonl.gz", Array(gzip[0..<11]))
    try scratch.write("in/garbled.jsonl.gz", garbled)
    let result = try Self.run(scratch, [scratch.path("in")])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.stderr.contains("no line could be read: 2 of 2 input file(s) damaged"))
    #expect(result.stderr.contains(cut), "\(result.stderr)")
    #expect(scratch.text(scratch.path("out/summary.json")) == before)
    // One readable line among the damage is a run: the damage is a warning, as above.
    try scratch.write("in/one.jsonl", Hostile.lines("e", count: 1).joined())
    let mixed = try Self.run(scratch, [scratch.path("in")])
    #expect(mixed.status == 0, "\(mixed.stderr)")
    #expect(try scratch.summary(scratch.path("out")).inputsDamaged == 2)
  }

  @Test func corruptGzipKeepsTheLinesBeforeTheDamage() throws {
    let scratch = try Scratch()
    var names: [String] = []
    var expectedRead = 0
    var intact = 0
    for (index, fraction) in [0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99].enumerated() {
      let lines = Hostile.lines("c\(index)", count: 2000)
      var gzip = try GzipWriter.compress(Array(lines.joined().utf8))
      let offset = max(10, Int(Double(gzip.count) * fraction))
      for position in offset..<min(offset + 4, gzip.count) { gzip[position] ^= 0x5A }
      names.append(try scratch.write("in/bad\(index).jsonl.gz", gzip))
      let inflated = Hostile.inflatedPrefix(gzip)
      var pieces = inflated.split(separator: 10, omittingEmptySubsequences: false)
      pieces.removeLast()  // the unfinished line at the damage (or "" after the last \n)
      expectedRead += pieces.count
      for (number, piece) in pieces.enumerated() where number < lines.count {
        if Array(piece) + [10] == Array(lines[number].utf8) { intact += 1 }
      }
    }
    let result = try Self.run(scratch, [scratch.path("in")])
    #expect(result.status == 0, "\(result.stderr)")
    for name in names {
      #expect(result.stderr.contains("\(name): damaged at byte"), "no damage for \(name)")
    }
    let summary = try scratch.summary(scratch.path("out"))
    let events = summary.events
    #expect(summary.inputsDamaged == names.count)
    #expect(events.read == expectedRead)
    // Every line that inflated intact is kept; garbled lines may be rejected or filtered.
    #expect(events.accepted >= intact)
    #expect(
      events.accepted + events.rejectedTotal + events.skipped
        + events.filtered.values.reduce(0, +) == events.read)
  }

  // MARK: - Hostile lines

  @Test func hostileLinesAreQuarantinedOneByOne() throws {
    let scratch = try Scratch()
    let nested =
      String(repeating: #"{"x":"#, count: 10_000) + "1"
      + String(repeating: "}", count: 10_000)
    let valid = [
      Hostile.line("ok-1"),
      #"{"ts":"2024-05-01T10:00:00Z","anon":"nul\u0000escaped","path":"/a"}"#,
      #"{"ts":"2024-05-01T10:00:00Z","user":99999999999999999999,"path":"/big-id"}"#,
      #"{"ts":"2024-05-01T10:00:00Z","anon":"num-path","path":1e400}"#,
      #"{"ts":"2024-05-01T10:00:00Z","anon":"ok-deep","path":"/d","x":[[[[[[[[1]]]]]]]]}"#,
      #"{"ts":1714557600,"anon":"ok-epoch","path":"/e"}"#,
      Hostile.line("ok-2"),
    ]
    let bad: [(line: [UInt8], reason: String)] = [
      (
        Array(#"{"ts":"2024-05-01T10:00:00Z","anon":"bad-"#.utf8) + [0xFF, 0xFE]
          + Array(#"","path":"/a"}"#.utf8), "invalid_utf8"
      ),
      (
        Array(#"{"ts":"2024-05-01T10:00:00Z","anon":"utf8-path","path":"/caf"#.utf8)
          + [0xC3, 0x28] + Array(#""}"#.utf8), "invalid_utf8"
      ),
      (
        Array(#"{"ts":"2024-05-01T10:00:00Z","anon":"raw"#.utf8) + [0]
          + Array(#"nul","path":"/a"}"#.utf8), "nul_byte"
      ),
      (Array("{\"ts\":\"2024-05-01T10:00:00Z\",\"anon\":\"after-nul\"}\0".utf8), "nul_byte"),
      (Array(nested.utf8), "json_too_deep"),
      (Array(String(repeating: "[", count: 10_000).utf8), "invalid_json"),
      (
        Array((#"{"ts":"2024-05-01T10:00:00Z","anon":"deep","x":"# + nested + "}").utf8),
        "json_too_deep"
      ),
      (Array(#"{"ts":1e400,"anon":"huge-ts","path":"/a"}"#.utf8), "timestamp_out_of_range"),
      (Array(#"{"ts":-1e400,"anon":"neg-ts","path":"/a"}"#.utf8), "timestamp_out_of_range"),
      (
        Array(#"{"ts":99999999999999999999,"anon":"long-ts","path":"/a"}"#.utf8),
        "timestamp_out_of_range"
      ),
      (
        Array(#"{"ts":"9999-12-31T23:59:59Z","anon":"y9999","path":"/a"}"#.utf8),
        "timestamp_out_of_range"
      ),
      (Array(#"{"ts":"2024-05-01T10:00:00Z","anon":"x","path":"/a""#.utf8), "invalid_json"),
    ]
    var file: [UInt8] = []
    for (index, line) in valid.enumerated() {
      file += Array(line.utf8) + [10]
      if index < bad.count { file += bad[index].line + [10] }
    }
    for entry in bad.dropFirst(valid.count) { file += entry.line + [10] }
    let mixed = try scratch.write("in/mixed.jsonl", file)

    // A 10 MB line between valid ones, plain and gzip.
    let huge =
      #"{"ts":"2024-05-01T10:00:00Z","anon":"huge","pad":""#
      + String(repeating: "x", count: 10 << 20) + #""}"#
    func around(_ tag: String) -> String {
      Hostile.line("before\(tag)") + "\n" + huge + "\n" + Hostile.line("after\(tag)") + "\n"
    }
    try scratch.write("in/huge.jsonl", around(""))
    try scratch.write("in/huge-gz.jsonl.gz", try GzipWriter.compress(Array(around("-gz").utf8)))

    let result = try Self.run(scratch, [scratch.path("in")])
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try scratch.summary(scratch.path("out"))
    var expected: [String: Int] = ["line_too_long": 2]
    for entry in bad { expected[entry.reason, default: 0] += 1 }
    #expect(summary.events.rejected == expected)
    #expect(summary.events.accepted == valid.count + 4)
    #expect(summary.sessions == valid.count + 4)
    #expect(summary.events.read == valid.count + bad.count + 6)

    // Each bad row names its file, line and reason.
    let badRows = scratch.text(scratch.path("out/bad_rows.jsonl"))
      .split(separator: "\n").map(String.init)
    #expect(badRows.count == bad.count + 2)
    #expect(badRows.filter { $0.contains(#""file":"\#(mixed)""#) }.count == bad.count)
    for reason in Set(expected.keys) {
      #expect(badRows.contains { $0.contains(#""reason":"\#(reason)""#) }, "\(reason)")
    }
  }

  // MARK: - Empty and missing inputs

  @Test func emptyFilesAreReadAsNoLines() throws {
    let scratch = try Scratch()
    try scratch.write("in/empty.jsonl", [])
    try scratch.write("in/empty.jsonl.gz", [])
    try scratch.write("in/empty-member.jsonl.gz", try GzipWriter.compress([]))
    try scratch.write("in/some.jsonl", Hostile.lines("e", count: 3).joined())
    let result = try Self.run(scratch, [scratch.path("in")])
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try scratch.summary(scratch.path("out"))
    #expect(summary.inputs == 4 && summary.inputsDamaged == 0)
    #expect(summary.events.read == 3 && summary.events.accepted == 3 && summary.sessions == 3)

    let only = try Self.run(scratch, [scratch.path("in/empty.jsonl.gz")])
    #expect(only.status == 0, "\(only.stderr)")
    #expect(try scratch.summary(scratch.path("out")).sessions == 0)
  }

  @Test func emptyFolderIsNoInput() throws {
    let scratch = try Scratch()
    let folder = try scratch.folder("nothing-here")
    try scratch.write("nothing-here/.hidden.jsonl", Hostile.lines("h", count: 1).joined())
    let result = try Self.run(scratch, [folder])
    #expect(result.status == 66)
    #expect(result.stderr.contains(folder), "\(result.stderr)")
  }

  @Test func missingInputIsNoInput() throws {
    let scratch = try Scratch()
    let missing = scratch.path("no-such.jsonl")
    let result = try Self.run(scratch, [missing])
    #expect(result.status == 66)
    #expect(result.stderr.contains(missing), "\(result.stderr)")
  }

  /// Tests run as root, for whom `chmod 000` does not stop reads. What fails for root too:
  /// a file whose read(2) fails (`/proc/self/mem` read at offset 0 is EIO) and a symbolic
  /// link loop (ELOOP). As another user, a `chmod 000` file is checked as well.
  @Test func unreadableFilesFailNamingTheFile() throws {
    let scratch = try Scratch()
    try scratch.write("in/ok.jsonl", Hostile.lines("u", count: 2).joined())

    let eio = scratch.path("in/mem.jsonl")
    try #require(symlink("/proc/self/mem", eio) == 0)
    let ioError = try Self.run(scratch, [scratch.path("in")])
    #expect(ioError.status == 74)
    #expect(ioError.stderr.contains("cannot read \(eio): Input/output error"), "\(ioError)")
    unlink(eio)

    let loop = scratch.path("loop.jsonl")
    try #require(symlink("loop.jsonl", loop) == 0)
    let loopError = try Self.run(scratch, [scratch.path("in"), loop])
    #expect(loopError.status == 74)
    #expect(loopError.stderr.contains(loop), "\(loopError.stderr)")
    #expect(loopError.stderr.contains("Too many levels of symbolic links"))

    if geteuid() != 0 {
      let locked = try scratch.write("locked.jsonl", Hostile.lines("l", count: 1).joined())
      chmod(locked, 0)
      let denied = try Self.run(scratch, [locked])
      #expect(denied.status == 74)
      #expect(denied.stderr.contains("\(locked): Permission denied"), "\(denied.stderr)")
    }
    #expect(access(scratch.path("out"), F_OK) != 0, "a failed run published an output")
  }

  // MARK: - Command line and pipeline file

  @Test func missingPipelineIsNoInput() throws {
    let scratch = try Scratch()
    let input = try scratch.write("in.jsonl", Hostile.lines("p", count: 1).joined())
    let missing = scratch.path("nope.json")
    let result = try Self.run(scratch, [input], pipeline: missing)
    #expect(result.status == 66)
    #expect(result.stderr.contains(missing), "\(result.stderr)")
  }

  @Test func invalidPipelineIsConfigError() throws {
    let scratch = try Scratch()
    let input = try scratch.write("in.jsonl", Hostile.lines("p", count: 1).joined())
    let unknownKey = try scratch.write(
      "unknown.json", #"{"version":1,"inputs":[{"format":"jsonl"}],"colour":"red"}"#)
    let result = try Self.run(scratch, [input], pipeline: unknownKey)
    #expect(result.status == 78)
    #expect(result.stderr.contains(unknownKey) && result.stderr.contains("colour"))

    let notJSON = try scratch.write("broken.json", [0x7B, 0xFF, 0x00])
    let broken = try Self.run(scratch, [input], pipeline: notJSON)
    #expect(broken.status == 78)
    #expect(broken.stderr.contains(notJSON), "\(broken.stderr)")
  }

  @Test func badFlagIsUsageError() throws {
    let scratch = try Scratch()
    let bad = try PolkuBinary.run(
      ["run", "--pipeline", "p.json", "--out", "o", "--no-such-flag", "x"], scratch: scratch)
    #expect(bad.status == 64 && bad.signal == nil)
    #expect(bad.stderr.contains("--no-such-flag"), "\(bad.stderr)")
    let threads = try PolkuBinary.run(
      ["run", "--pipeline", "p.json", "--out", "o", "--threads", "0", "x"], scratch: scratch)
    #expect(threads.status == 64)
    #expect(threads.stderr.contains("--threads"), "\(threads.stderr)")
  }

  /// ArgumentParser reports a missing required option before an unknown one, so a typo
  /// in a required option's name gets a hint of its own.
  @Test func misspeltRequiredOptionGetsAHint() throws {
    let scratch = try Scratch()
    let typo = try PolkuBinary.run(
      ["run", "--pipline", "p.json", "--out", "o", "x"], scratch: scratch)
    #expect(typo.status == 64)
    #expect(
      typo.stderr.contains("unknown option '--pipline'. Did you mean '--pipeline'?"),
      "\(typo.stderr)")
    #expect(typo.stderr.contains("Missing expected argument '--pipeline"), "\(typo.stderr)")
    let equals = try PolkuBinary.run(
      ["run", "--pipeline", "p.json", "--ot=o", "x"], scratch: scratch)
    #expect(equals.stderr.contains("Did you mean '--out'?"), "\(equals.stderr)")
    // Nothing near a known option: only the parser's message.
    let missing = try PolkuBinary.run(["run", "--out", "o", "--zzzzzzzz", "x"], scratch: scratch)
    #expect(missing.status == 64)
    #expect(!missing.stderr.contains("Did you mean"), "\(missing.stderr)")
  }

  // MARK: - Output that cannot be written

  @Test func outputUnderAFileIsAnIOError() throws {
    let scratch = try Scratch()
    let input = try scratch.write("in.jsonl", Hostile.lines("o", count: 2).joined())
    let blocker = try scratch.write("blocker", "not a folder")
    let result = try PolkuBinary.run(
      ["run", "--pipeline", try scratch.pipeline(), "--out", "\(blocker)/out", input],
      scratch: scratch)
    #expect(result.status == 74)
    #expect(result.stderr.contains(blocker) && result.stderr.contains("Not a directory"))
  }

  /// A full disk, simulated without mounting anything: a file-size limit (`ulimit -f`) with
  /// SIGXFSZ ignored makes writes past it fail with EFBIG, as ENOSPC would on a full disk.
  @Test func fullDiskKeepsThePreviousOutput() throws {
    let scratch = try Scratch()
    let input = try scratch.write("in.jsonl", Hostile.lines("f", count: 3000).joined())
    let first = try Self.run(scratch, [input])
    #expect(first.status == 0, "\(first.stderr)")
    let before = scratch.text(scratch.path("out/summary.json"))

    try scratch.write("in.jsonl", Hostile.lines("g", count: 2000).joined())
    let full = try Self.run(scratch, [input], fileSizeLimitKB: 16)
    #expect(full.status == 74)
    #expect(full.stderr.contains("File too large"), "\(full.stderr)")
    #expect(full.stderr.contains("cannot write"), "\(full.stderr)")
    #expect(scratch.text(scratch.path("out/summary.json")) == before)
    #expect(!scratch.names().contains { $0.hasPrefix(".out.polku-tmp") }, "staging left behind")
  }
}
