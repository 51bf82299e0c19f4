import PolkuGenerate
import Testing

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What polku prints quotes input (file names, paths): control characters, escape
/// sequences and direction overrides in it are shown as `\u{…}` escapes, never sent to the
/// terminal, and `--log-format json` stays one valid JSON object per line.
@Suite struct TerminalSafetyTests {
  /// Characters a terminal acts on instead of showing (the test's own list): C0 controls
  /// but the line feed that ends each line, DEL, C1 controls, bidi marks and overrides,
  /// line and paragraph separators.
  static func isActedOn(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A: false
    case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069,
      0x2028, 0x2029:
      true
    default: false
    }
  }

  static func actedOn(_ text: String) -> [String] {
    text.unicodeScalars.filter(isActedOn).map { "U+\(String($0.value, radix: 16))" }
  }

  /// An escape sequence that clears the screen, one that sets the window title (ended by
  /// BEL), an 8-bit CSI, DEL and a right-to-left override.
  static let hostileName = "x\u{1B}[2J\u{1B}]0;owned\u{07}\u{9B}31m\u{7F}\u{202E}gol.txt"
  /// A truncated gzip whose name holds a line that looks like polku's own.
  static let forgedLineName = "cut\n√ all good.jsonl.gz"

  /// A folder with one valid file, a file no input matches and a damaged one, all with
  /// hostile names; and a pipeline that reads `*.jsonl*` files.
  static func prepare(_ scratch: Scratch) throws -> (pipeline: String, inputs: String) {
    let pipeline = try scratch.write(
      "pipeline.json",
      """
      {"version": 1, "name": "terminal",
       "inputs": [{"name": "events", "format": "jsonl", "files": "*.jsonl*",
                   "fields": {"timestamp": "ts", "anonymous_id": "anon", "page": "path"}}]}
      """)
    _ = try scratch.write("in/good.jsonl", Hostile.lines("g", count: 20).joined())
    _ = try scratch.write("in/" + hostileName, "not read\n")
    let gzip = try GzipWriter.compress(Array(Hostile.lines("c", count: 500).joined().utf8))
    _ = try scratch.write("in/" + forgedLineName, Array(gzip.dropLast(9)))
    return (pipeline, scratch.path("in"))
  }

  @Test func textLogsAndTheSummaryLineShowControlCharactersAsEscapes() throws {
    let scratch = try Scratch()
    let (pipeline, inputs) = try Self.prepare(scratch)
    let out = scratch.path("out\u{1B}[1m")
    let result = try PolkuBinary.run(
      ["run", "--pipeline", pipeline, "--out", out, "--threads", "2", inputs], scratch: scratch)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(Self.actedOn(result.stderr).isEmpty, "\(Self.actedOn(result.stderr))")
    #expect(Self.actedOn(result.stdout).isEmpty, "\(Self.actedOn(result.stdout))")
    // Each character shows as its escape, in place.
    #expect(
      result.stderr.contains(
        #"x\u{1B}[2J\u{1B}]0;owned\u{7}\u{9B}31m\u{7F}\u{202E}gol.txt: skipped"#))
    #expect(result.stderr.contains(#"cut\u{A}√ all good.jsonl.gz: damaged at byte"#))
    #expect(!result.stderr.split(separator: "\n").contains { $0.hasPrefix("√") })
    let summary = result.stdout.split(separator: "\n").filter { $0.hasPrefix("√") }
    #expect(summary.count == 1)
    #expect(summary.first?.hasSuffix(#"out\u{1B}[1m"#) == true, "\(result.stdout)")
  }

  @Test func jsonLogsAreValidJSONThatCarryTheNamesExactly() throws {
    let scratch = try Scratch()
    let (pipeline, inputs) = try Self.prepare(scratch)
    let result = try PolkuBinary.run(
      [
        "run", "--pipeline", pipeline, "--out", scratch.path("out"), "--log-format", "json",
        "--threads", "2", inputs,
      ], scratch: scratch)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(Self.actedOn(result.stderr).isEmpty, "\(Self.actedOn(result.stderr))")
    var messages: [String] = []
    for line in result.stderr.split(separator: "\n") {
      let object = try JSONDecoder().decode([String: String].self, from: Data(line.utf8))
      messages.append(object["message"] ?? "")
    }
    #expect(messages.count >= 4)
    let skipped = "\(inputs)/\(Self.hostileName): skipped"
    #expect(messages.contains { $0.hasPrefix(skipped) }, "\(messages)")
    #expect(messages.contains { $0.hasPrefix("\(inputs)/\(Self.forgedLineName): damaged") })
  }

  @Test func errorsNamingAHostilePathShowItEscaped() throws {
    let scratch = try Scratch()
    let (pipeline, _) = try Self.prepare(scratch)
    let missing = scratch.path("no\u{1B}[31msuch\u{202E}")
    let result = try PolkuBinary.run(
      ["run", "--pipeline", pipeline, "--out", scratch.path("out"), missing], scratch: scratch)
    #expect(result.status == 66)
    #expect(Self.actedOn(result.stderr).isEmpty, "\(Self.actedOn(result.stderr))")
    #expect(result.stderr.contains(#"no\u{1B}[31msuch\u{202E}"#), "\(result.stderr)")
  }
}
