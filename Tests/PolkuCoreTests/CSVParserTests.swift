import Testing

@testable import PolkuCore

@Suite struct CSVParserTests {
  static let columns: [Field: String] = [
    .timestamp: "ts", .anonymousId: "visitor", .page: "page", .event: "event",
  ]

  /// Feeds `lines` as a caller would, joining lines while the parser needs more.
  private func run(
    _ lines: [String], delimiter: UInt8 = UInt8(ascii: ","), columns: [Field: String] = columns
  ) -> (parser: CSVParser, results: [(ParseOutcome, [String: String])]) {
    var parser = CSVParser(delimiter: delimiter, columns: columns)
    var results: [(ParseOutcome, [String: String])] = []
    var pending: [UInt8]?
    for line in lines {
      let bytes = pending.map { $0 + [0x0A] + Array(line.utf8) } ?? Array(line.utf8)
      let (outcome, fields) = ParseHarness.run(&parser, bytes: bytes)
      if outcome == .needsMore {
        pending = bytes
        continue
      }
      pending = nil
      results.append((outcome, ParseHarness.values(fields)))
    }
    if pending != nil { results.append((.needsMore, [:])) }
    return (parser, results)
  }

  @Test func readsHeaderThenRows() {
    let (parser, results) = run([
      "", "ts,visitor,page,extra,event",
      "2024-03-10T23:59:59Z,v1,/home,x,",
      #""2024-03-11T00:00:00Z","v,2","/a ""quoted"" page","","Signed Up""#,
      "", "2024-03-12,v3,,,",
    ])
    #expect(parser.headerColumns == ["ts", "visitor", "page", "extra", "event"])
    #expect(parser.missingColumns.isEmpty)
    #expect(results.map(\.0) == [.skip, .skip, .record, .record, .skip, .record])
    #expect(
      results[2].1 == ["timestamp": "2024-03-10T23:59:59Z", "anonymous_id": "v1", "page": "/home"])
    #expect(
      results[3].1 == [
        "timestamp": "2024-03-11T00:00:00Z", "anonymous_id": "v,2",
        "page": #"/a "quoted" page"#, "event": "Signed Up",
      ])
    #expect(results[5].1 == ["timestamp": "2024-03-12", "anonymous_id": "v3"])
  }

  @Test func joinsQuotedLineBreaks() {
    let (_, results) = run([
      "ts,visitor,page,event", #"1,v1,"/multi"#, "line", #"page",done"#, #"2,"v2"#, #"",x,y"#,
    ])
    #expect(results.map(\.0) == [.skip, .record, .record])
    #expect(results[1].1["page"] == "/multi\nline\npage")
    #expect(results[1].1["event"] == "done")
    #expect(results[2].1["anonymous_id"] == "v2\n")
  }

  @Test func reportsAnUnfinishedQuoteAtEndOfInput() {
    let (_, results) = run(["ts,visitor,page,event", #"1,v,"never closed"#])
    #expect(results.last?.0 == .needsMore)
  }

  @Test func readsTSVAndTrimsAByteOrderMark() {
    let (parser, results) = run(
      ["\u{FEFF}ts\tvisitor\tpage\tevent", "1\tv 1\t/a,b\te"], delimiter: 0x09)
    #expect(parser.headerColumns == ["ts", "visitor", "page", "event"])
    #expect(
      results[1] == (
        .record, ["timestamp": "1", "anonymous_id": "v 1", "page": "/a,b", "event": "e"]
      ))
    let quotedBOM = run(["\u{FEFF}\"ts\",visitor,page,event", "1,2,3,4"])
    #expect(quotedBOM.parser.headerColumns == ["ts", "visitor", "page", "event"])
    #expect(quotedBOM.results[1].0 == .record)
  }

  @Test func listsMappedColumnsTheHeaderLacks() {
    let (parser, results) = run(["ts,Visitor,url", "1,2,3"])
    #expect(parser.missingColumns == ["visitor", "event", "page"])  // in `Field` order
    #expect(results[1] == (.record, ["timestamp": "1"]))
    #expect(CSVParser(columns: Self.columns).missingColumns.isEmpty)
    #expect(CSVParser(columns: Self.columns).headerColumns == nil)
  }

  @Test func fillsSeveralFieldsFromOneColumn() {
    let (_, results) = run(["id,x", #""a""b",1"#], columns: [.anonymousId: "id", .userId: "id"])
    #expect(results[1].1 == ["anonymous_id": "a\"b", "user_id": "a\"b"])
  }

  static let badRows: [String] = [
    "1,2,3", "1,2,3,4,5", "1,2,3,4,", #"1,2,3,ab"c"#, #"1,2,3,"ab"c"#, #""1"x,2,3,4"#,
    #"1,2,3,4 "q""#, #"1,2 ,"3" ,4"#,
  ]

  @Test(arguments: badRows) func rejectsMalformedRows(_ row: String) {
    let (_, results) = run(["a,b,c,d", row])
    #expect(results[1].0 == .bad(.invalidCSV))
  }

  static let goodRows: [(String, [String: String])] = [
    (",,,", [:]),
    (#""","","","""#, [:]),
    ("1,2,3,4", ["timestamp": "1", "anonymous_id": "2", "page": "3", "event": "4"]),
    (
      #" 1 ,"2",""""," x""#, ["timestamp": " 1 ", "anonymous_id": "2", "page": "\"", "event": " x"]
    ),
    ("1,2,3,4\r", ["timestamp": "1", "anonymous_id": "2", "page": "3", "event": "4\r"]),
  ]

  @Test(arguments: goodRows) func readsCellsExactly(_ row: String, _ expected: [String: String]) {
    let (_, results) = run(["ts,visitor,page,event", row])
    #expect(results[1].0 == .record)
    #expect(results[1].1 == expected)
  }

  @Test func retriesABadHeaderOnTheNextLine() {
    let (parser, results) = run([#"ts,vi"sitor"#, "ts,visitor,page,event", "1,2,3,4"])
    #expect(results.map(\.0) == [.bad(.invalidCSV), .skip, .record])
    #expect(parser.headerColumns?.count == 4)
  }

  @Test func reportsNulBytesAndKeepsOtherBytes() {
    var parser = CSVParser(columns: [.page: "p"])
    #expect(ParseHarness.run(&parser, "p").0 == .skip)
    #expect(ParseHarness.run(&parser, bytes: [0x61, 0, 0x62]).0 == .bad(.nulByte))
    let (outcome, fields) = ParseHarness.run(&parser, bytes: [0xFF, 0xC3])
    #expect(outcome == .record)
    #expect(fields.withValue(.page) { Array($0) } == [0xFF, 0xC3])
  }

  @Test func handlesATenMegabyteCell() {
    let blob = String(repeating: "0123456789", count: 1_000_000)
    let (_, results) = run(["ts,visitor,page,event", #"1,2,"\#(blob)",4"#])
    #expect(results[1].0 == .record)
    #expect(results[1].1["page"]?.utf8.count == 10_000_000)
  }
}
