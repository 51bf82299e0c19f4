import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The CSV formula guard (OWASP's rule against CSV injection): text cells that a
/// spreadsheet would run as a formula get a leading `'`; numbers never change.
///
/// Expected cells come from the rule and RFC 4180 as written here, not from the builder;
/// whole runs are read back with DuckDB's CSV reader (`scripts/csv_table_oracle.py`).
@Suite struct CSVFormulaGuardTests {
  /// The six first characters the rule names.
  static let triggers = ["=", "+", "-", "@", "\t", "\r"]

  /// OWASP's rule: a leading `'` when the cell starts with one of the triggers.
  static func guarded(_ text: String) -> String {
    triggers.contains { text.hasPrefix($0) } ? "'" + text : text
  }

  /// RFC 4180: quoted (quotes doubled) when the cell holds a comma, a quote, CR or LF.
  static func field(_ text: String) -> String {
    // Bytes, not Characters: "\r\n" would be one Character.
    guard text.utf8.contains(where: { Array(",\"\r\n".utf8).contains($0) }) else { return text }
    return "\"" + text.replacing("\"", with: "\"\"") + "\""
  }

  static func row(_ build: (inout CSVBuilder) -> Void, guarding: Bool = true) -> String {
    var csv = CSVBuilder(reservingCapacity: 64, guardingFormulas: guarding)
    build(&csv)
    csv.endRow()
    return String(decoding: csv.bytes, as: UTF8.self)
  }

  @Test(arguments: triggers)
  func everyLeadingCharacterIsGuarded(first: String) {
    // Unquoted, and quoted because of a comma or a quote further on.
    for text in [first + "1+2", first + "SUM(A1:A9),x", first + "HYPERLINK(\"http://evil\")"] {
      let line = Self.row { $0.cell(text) }
      #expect(line == Self.field("'" + text) + "\n")
      #expect(line.hasPrefix("'") || line.hasPrefix("\"'"))
    }
  }

  @Test(arguments: ["", "a", "/pricing", "'=x", " =x", "x=1", "1-2", "(other)", "ä-", "#", ";"])
  func otherCellsAreUnchanged(text: String) {
    #expect(Self.row { $0.cell(text) } == Self.field(text) + "\n")
  }

  @Test func theIssuesExampleIsNeutralised() {
    let line = Self.row {
      $0.cell("=cmd|'/c calc'!A1")
      $0.cell("=HYPERLINK(\"http://evil\",\"click\")")
    }
    #expect(line == "'=cmd|'/c calc'!A1,\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\"\n")
  }

  @Test func numbersTimestampsAndIdsAreNeverGuarded() {
    let line = Self.row {
      $0.cell(Int64(-3))
      $0.cell(-42)
      $0.cell(-1.25, digits: 1)
      $0.cell(-0.5 as Double?, digits: 2)
      $0.timestampCell(-1)
      $0.hexCell(0x2d2d)
      $0.cell(false)
    }
    #expect(line == "-3,-42,-1.3,-0.50,1969-12-31T23:59:59.999Z,0000000000002d2d,false\n")
  }

  @Test func headerAndSymbolTableCellsAreGuardedToo() {
    var table = SymbolTable()
    let id = table.intern("-1+cmd")
    var csv = CSVBuilder(header: ["=name", "n"])
    csv.cell(table, id)
    csv.cell(-1)
    csv.endRow()
    #expect(String(decoding: csv.bytes, as: UTF8.self) == "'=name,n\n'-1+cmd,-1\n")
  }

  /// Joined cells (path steps) are guarded by the first byte of the joined text.
  @Test(arguments: [
    ["=1+1", "/a"], ["-x"], ["", "=a"], ["/a", "=b"], ["@x,y", "/b"], ["\t", "/a"], [],
  ])
  func joinedCellsAreGuardedAsTheJoinedText(parts: [String]) {
    let joined = parts.joined(separator: " > ")
    let line = Self.row { $0.cell(joining: parts, separator: " > ") }
    #expect(line == Self.field(Self.guarded(joined)) + "\n")
  }

  @Test(arguments: triggers)
  func theGuardOffWritesTheTextAsItIs(first: String) {
    for text in [first + "1", first + "a,b"] {
      #expect(Self.row({ $0.cell(text) }, guarding: false) == Self.field(text) + "\n")
      #expect(
        Self.row({ $0.cell(joining: [text, "/a"], separator: " > ") }, guarding: false)
          == Self.field(text + " > /a") + "\n")
    }
  }

  @Test func thePipelineKeyDefaultsToOnAndTurnsItOff() throws {
    let on = try JSONDecoder().decode(
      PipelineSpec.self, from: Data(#"{"version": 1, "inputs": [{"format": "jsonl"}]}"#.utf8))
    #expect(on.outputs.csvFormulaGuard)
    let off = try JSONDecoder().decode(
      PipelineSpec.self,
      from: Data(
        #"{"version": 1, "inputs": [{"format": "jsonl"}], "outputs": {"csv_formula_guard": false}}"#
          .utf8))
    #expect(!off.outputs.csvFormulaGuard)
    #expect(throws: UnknownKeysError.self) {
      try JSONDecoder().decode(
        PipelineSpec.self,
        from: Data(
          #"{"version": 1, "inputs": [{"format": "jsonl"}], "outputs": {"csv_guard": false}}"#
            .utf8))
    }
  }
}
