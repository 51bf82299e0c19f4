import Testing

@testable import PolkuCore

@Suite struct JSONLinesParserTests {
  static let segmentPaths: [Field: String] = [
    .page: "context.page.path", .source: "context.campaign.source", .timestamp: "timestamp",
    .anonymousId: "anonymousId", .userId: "userId", .type: "type", .event: "event",
    .messageId: "messageId", .channel: "channel", .userAgent: "context.userAgent",
  ]

  private func parse(_ line: String, paths: [Field: String] = segmentPaths)
    -> (ParseOutcome, [String: String])
  {
    var parser = JSONLinesParser(paths: paths)
    let (outcome, fields) = ParseHarness.run(&parser, line)
    return (outcome, ParseHarness.values(fields))
  }

  private func parse(bytes: [UInt8]) -> (ParseOutcome, RecordFields) {
    var parser = JSONLinesParser(paths: Self.segmentPaths)
    return ParseHarness.run(&parser, bytes: bytes)
  }

  @Test func extractsEverySegmentFieldInOnePass() {
    let line = """
      {"anonymousId":"a-1","context":{"ip":"10.0.0.1","library":{"name":"analytics.js",\
      "version":"4.1.0"},"page":{"path":"/pricing","referrer":"https://g.co/","search":"",\
      "title":"Pricing","url":"https://ex.com/pricing"},"campaign":{"source":"google",\
      "medium":"cpc"},"userAgent":"Mozilla/5.0 (X11; Linux x86_64)"},"event":null,\
      "integrations":{},"messageId":"m-1","properties":{"path":"/nope","list":[1,2,{"x":[]}]},\
      "receivedAt":"2024-03-10T23:59:59.200Z","timestamp":"2024-03-10T23:59:59.123Z",\
      "type":"page","userId":"u-9","channel":"web","version":2}
      """
    let (outcome, values) = parse(line)
    #expect(outcome == .record)
    #expect(
      values == [
        "anonymous_id": "a-1", "page": "/pricing", "source": "google",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64)", "message_id": "m-1",
        "timestamp": "2024-03-10T23:59:59.123Z", "type": "page", "user_id": "u-9",
        "channel": "web",
      ])
  }

  @Test func keysAreMatchedWhateverTheirLengthAndOrder() {
    // Mapped keys sharing a length, a key of 32+ bytes, an empty key, and unmapped keys of
    // the same lengths (and same first 8 bytes) that must not match.
    let long = "a_key_that_is_longer_than_thirty_two_bytes"
    let paths: [Field: String] = [
      .userId: "abcd", .type: "abce", .event: "x.\(long)", .page: "x.",
      .channel: "\(long)x", .source: "abcdefgh12",
    ]
    let line = """
      {"abcf":"no","abce":"T","x":{"":"P","\(long)":"E","\(long.dropLast())y":"no"},\
      "abcdefgh13":"no","\(long)x":"C","abcd":"U","abcdefgh12":"S","\(long)y":"no"}
      """
    let (outcome, values) = parse(line, paths: paths)
    #expect(outcome == .record)
    #expect(
      values == [
        "user_id": "U", "type": "T", "event": "E", "page": "P", "channel": "C", "source": "S",
      ])
    // An escaped key is decoded before the lookup.
    let (escaped, decoded) = parse(#"{"ab\u0063d":"U2","x":{"\u0000":"no"}}"#, paths: paths)
    #expect(escaped == .record)
    #expect(decoded == ["user_id": "U2"])
  }

  static let stringEscapes: [(String, String)] = [
    (#"plain"#, "plain"),
    (#"a\nb"#, "a\nb"),
    (#"say \"hi\""#, "say \"hi\""),
    (#"back\\slash"#, "back\\slash"),
    (#"\/path\/x"#, "/path/x"),
    (#"\b\f\r\t"#, "\u{08}\u{0C}\r\t"),
    (#"caf\u00e9"#, "café"),
    (#"\u00E9\u65e5"#, "é日"),
    (#"party \ud83c\udf89!"#, "party 🎉!"),
    (#"\uD83C\uDF89"#, "🎉"),
    (#"lone \ud83c end"#, "lone \u{FFFD} end"),
    (#"\ud83c"#, "\u{FFFD}"),
    (#"\udf89x"#, "\u{FFFD}x"),
    (#"\ud83c\u0041"#, "\u{FFFD}A"),
    (#"\ud83c\ud83c\udf89"#, "\u{FFFD}🎉"),
    (#"nul \u0000 inside"#, "nul \u{0} inside"),
    (#"raw utf-8 päivää 日本"#, "raw utf-8 päivää 日本"),
    (
      #"long run of plain text before an escape\n and after it"#,
      "long run of plain text before an escape\n and after it"
    ),
  ]

  @Test(arguments: stringEscapes) func unescapesStrings(_ json: String, _ expected: String) {
    let (outcome, values) = parse(#"{"userId":"\#(json)"}"#)
    #expect(outcome == .record)
    #expect(values["user_id"] == expected)
  }

  @Test(arguments: stringEscapes) func matchesEscapedKeys(_ json: String, _ expected: String) {
    let (outcome, values) = parse(#"{"\#(json)":"v","x":1}"#, paths: [.event: expected])
    #expect(outcome == .record)
    #expect(values == ["event": "v"])
  }

  static let scalarValues: [(String, String?)] = [
    ("1700000000123", "1700000000123"), ("1.7e9", "1.7e9"), ("-0.5E-3", "-0.5E-3"),
    ("0", "0"), ("1e999999999999", "1e999999999999"),
    ("123456789012345678901234567890", "123456789012345678901234567890"),
    ("true", "true"), ("false", "false"), ("null", nil), ("{}", nil),
    (#"{"a":"b"}"#, nil), ("[]", nil), (#"[1,"2",{"3":[]}]"#, nil), (#""""#, ""),
  ]

  @Test(arguments: scalarValues) func storesRawScalarsAndLeavesContainersAbsent(
    _ json: String, _ expected: String?
  ) {
    let (outcome, values) = parse(#"{"timestamp":\#(json),"type":"track"}"#)
    #expect(outcome == .record)
    #expect(values["timestamp"] == expected)
    #expect(values["type"] == "track")
  }

  static let absentPaths: [String] = [
    #"{"context":"x"}"#, #"{"context":null}"#, #"{"context":[{"page":{"path":"/a"}}]}"#,
    #"{"context":{"page":5}}"#, #"{"context":{"page":{"path":null}}}"#,
    #"{"context":{"page":{"path":{"x":"/a"}}}}"#, #"{"context":{"page":{"path":["/a"]}}}"#,
    #"{"context":{"pages":{"path":"/a"}}}"#, #"{"Context":{"page":{"path":"/a"}}}"#,
    #"{"properties":{"context":{"page":{"path":"/a"}}}}"#,
    #"{"context":{"page":{"path":"/a"}},"context":true}"#,
    #"{"context":{"page":{"path":"/a"}},"context":{"userAgent":"x"}}"#,
    #"{"context":{"page":{"path":"/a","path":null}}}"#, "{}",
  ]

  @Test(arguments: absentPaths) func leavesFieldAbsentWhenPathDoesNotLeadToAScalar(_ line: String) {
    let (outcome, values) = parse(line)
    #expect(outcome == .record)
    #expect(values["page"] == nil)
  }

  @Test func lastDuplicateKeyWins() {
    #expect(parse(#"{"userId":"a","userId":"b"}"#).1 == ["user_id": "b"])
    #expect(parse(#"{"userId":"a","userId":null}"#).1 == [:])
    #expect(parse(#"{"userId":null,"userId":"c\"d"}"#).1 == ["user_id": "c\"d"])
    #expect(
      parse(#"{"context":{"page":{"path":"/a"}},"context":{"page":{"title":"t"},"userAgent":"x"}}"#)
        .1
        == ["user_agent": "x"])
    #expect(
      parse(#"{"context":{"page":{"path":"/a"},"page":{"path":"/b"}}}"#).1 == ["page": "/b"])
  }

  @Test func fillsSeveralFieldsMappedToOnePath() {
    let paths: [Field: String] = [.anonymousId: "id", .userId: "id", .event: "e"]
    #expect(
      parse(#"{"id":"x\ty","e":"E"}"#, paths: paths).1
        == ["anonymous_id": "x\ty", "user_id": "x\ty", "event": "E"])
    #expect(
      parse(#"{"id":"plain"}"#, paths: paths).1
        == ["anonymous_id": "plain", "user_id": "plain"])
  }

  @Test func skipsUnmappedValuesOfEveryKind() {
    let line = #"""
      { "properties" : { "a" : [ 1 , { "b" : "}]\\\"{[" } , -2.5e+3 , true , false , null ] ,
      "c\"}" : "x" , "e" : { } , "f" : [ ] } , "userId" : "u" , "z" : "\u005c" }
      """#.split(separator: "\n").joined(separator: " ")
    let (outcome, values) = parse(line)
    #expect(outcome == .record)
    #expect(values == ["user_id": "u"])
  }

  static let invalidShapes: [String] = [
    "{", #"{"a":1"#, #"{"a":1,}"#, "{a:1}", "{'a':1}", #"{"a":'b'}"#, #"{"a":1} x"#,
    #"{"a":1}{}"#, #"{"a":1}}"#, "[1,2]", #""str""#, "1", "null", "}", #"{"a":tru}"#,
    #"{"a":truex}"#, #"{"a":nul}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{"a":1e}"#,
    #"{"a":+1}"#, #"{"a":.5}"#, #"{"a":NaN}"#, #"{"a":"\x"}"#, #"{"a":"\u12"}"#,
    #"{"a":"\u12G4"}"#, "{\"a\":\"raw\ttab\"}", "{\"a\":\"line\nbreak\"}", #"{"a" 1}"#,
    #"{"a":1 "b":2}"#, #"{"a":[1,]}"#, #"{"a":[1 2]}"#, #"{"a":{"b":1]}"#, #"{"a":[1}"#,
    #"{"a":}"#, "{,}", #"{"a":"unterminated}"#, #"{"userId":"x",}"#, #"{"userId":tru}"#,
    #"{"context":{"page":{"path":"/a"}}"#, #"{"context":{"page":{"path":"/a"}}}}"#,
    #"{"userId":"x" "type":"y"}"#, #"{"userId"}"#, #"{"timestamp":123"#, #"{"a":[,1]}"#,
    #"{"a":{,}}"#, #"{"a":{"b"}}"#, #"{"a":"\"}"#, "{\"a\":1}\u{0B}", "\u{FEFF}{}",
  ]

  @Test(arguments: invalidShapes) func rejectsMalformedJSON(_ line: String) {
    #expect(parse(line).0 == .bad(.invalidJSON))
  }

  @Test(arguments: ["", " ", "\t \r ", "\r"]) func skipsBlankLines(_ line: String) {
    #expect(parse(line).0 == .skip)
  }

  @Test func acceptsSurroundingWhitespace() {
    #expect(parse(" \t{\"userId\":\"a\"}\r ").1 == ["user_id": "a"])
  }

  private static func nested(_ depth: Int, open: String, close: String) -> String {
    // `depth` counts the top-level object.
    #"{"properties":"# + String(repeating: open, count: depth - 1) + "1"
      + String(repeating: close, count: depth - 1) + #","userId":"u"}"#
  }

  @Test func acceptsNestingOfExactly64() {
    #expect(parse(Self.nested(64, open: "[", close: "]")).0 == .record)
    #expect(parse(Self.nested(64, open: #"{"k":"#, close: "}")).0 == .record)
  }

  @Test(arguments: [65, 100, 100_000]) func rejectsDeeperNesting(_ depth: Int) {
    #expect(parse(Self.nested(depth, open: "[", close: "]")).0 == .bad(.tooDeep))
    #expect(parse(Self.nested(depth, open: #"{"k":"#, close: "}")).0 == .bad(.tooDeep))
    // Unbalanced: the depth limit is hit before the missing closers are noticed.
    #expect(parse(#"{"a":"# + String(repeating: "[", count: depth)).0 == .bad(.tooDeep))
  }

  @Test func rejectsDeepNestingAlongAMappedPath() {
    let path = Array(repeating: "k", count: 70).joined(separator: ".")
    let line = String(repeating: #"{"k":"#, count: 70) + #""v""# + String(repeating: "}", count: 71)
    #expect(parse(line, paths: [.event: path]).0 == .bad(.tooDeep))
    let shallow = Array(repeating: "k", count: 63).joined(separator: ".")
    let ok =
      "{" + String(repeating: #""k":{"#, count: 62) + #""k":"v""#
      + String(repeating: "}", count: 63)
    #expect(parse(ok, paths: [.event: shallow]) == (.record, ["event": "v"]))
  }

  @Test func handlesTenMegabyteLines() {
    let blob = String(repeating: "abcdefghij", count: 1_000_000)
    let ignored = #"{"properties":{"blob":"\#(blob)"},"userId":"u"}"#
    #expect(parse(ignored).1 == ["user_id": "u"])
    let kept = #"{"context":{"userAgent":"\#(blob)\n"}}"#
    #expect(parse(kept).1["user_agent"]?.utf8.count == 10_000_001)
    let array = #"{"a":["# + String(repeating: "1,", count: 5_000_000) + #"2],"type":"t"}"#
    #expect(parse(array).1 == ["type": "t"])
    #expect(parse(String(ignored.dropLast(2))).0 == .bad(.invalidJSON))
  }

  @Test func reportsRawNulBytes() {
    #expect(
      parse(bytes: Array(#"{"userId":"a"#.utf8) + [0] + Array(#"b"}"#.utf8)).0
        == .bad(.nulByte))
    #expect(parse(bytes: Array(#"{"userId":"a"}"#.utf8) + [0]).0 == .bad(.nulByte))
    #expect(parse(bytes: [0]).0 == .bad(.nulByte))
  }

  @Test func copiesInvalidUTF8WithoutTrapping() {
    let bytes = Array(#"{"userId":""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#"","x":"\#u{E9}"}"#.utf8)
    let (outcome, fields) = parse(bytes: bytes)
    #expect(outcome == .record)
    #expect(fields.withValue(.userId) { Array($0) } == [0xFF, 0xFE, 0xC3])
    #expect(fields.withValue(.userId) { UTF8Check.isValid($0) } == false)
  }

  @Test func survivesEveryTruncationAndByteFlipOfARealLine() {
    let line = Array(
      #"{"anonymousId":"a\u00e9","context":{"page":{"path":"/x"},"n":[1.5e3,true,null]},"timestamp":17}"#
        .utf8)
    var parser = JSONLinesParser(paths: Self.segmentPaths)
    for cut in 0...line.count {
      let (outcome, _) = ParseHarness.run(&parser, bytes: Array(line[0..<cut]))
      #expect(outcome == (cut == line.count ? .record : (cut == 0 ? .skip : .bad(.invalidJSON))))
    }
    for index in line.indices {
      for byte: UInt8 in [0, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x80, 0xFF, 0x20] {
        var mutated = line
        mutated[index] = byte
        _ = ParseHarness.run(&parser, bytes: mutated)
      }
    }
  }
}
