import CZlib
import Testing

@testable import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct AccessLogParserTests {
  private func parse(_ line: String, visitor: AccessLogVisitor = .host)
    -> (ParseOutcome, [String: String])
  {
    var parser = AccessLogParser(visitor: visitor)
    let (outcome, fields) = ParseHarness.run(&parser, line)
    return (outcome, ParseHarness.values(fields))
  }

  @Test func parsesACombinedLine() {
    let line = #"""
      127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?a=1 HTTP/1.0" 200 2326 \#
      "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"
      """#
    let (outcome, values) = parse(line, visitor: .hostAndUserAgent)
    #expect(outcome == .record)
    #expect(
      values == [
        "timestamp": "10/Oct/2000:13:55:36 -0700", "user_id": "frank", "type": "page",
        "event": "GET", "page": "/apache_pb.gif?a=1", "status": "200",
        "referrer": "http://www.example.com/start.html",
        "user_agent": "Mozilla/4.08 [en] (Win98; I ;Nav)",
        "anonymous_id": "127.0.0.1 Mozilla/4.08 [en] (Win98; I ;Nav)",
      ])
  }

  /// (line, expected host, method, page, status) for real-log quirks.
  static let quirks: [(String, String, String, String?, String)] = [
    // NASA: host names, `-` size, HTTP/0.9 without protocol.
    (
      #"199.72.81.55 - - [01/Jul/1995:00:00:01 -0400] "GET /history/apollo/ HTTP/1.0" 200 6245"#,
      "199.72.81.55", "GET", "/history/apollo/", "200"
    ),
    (
      #"unicomp6.unicomp.net - - [01/Jul/1995:00:00:06 -0400] "GET /shuttle/countdown/ HTTP/1.0" 200 3985"#,
      "unicomp6.unicomp.net", "GET", "/shuttle/countdown/", "200"
    ),
    (
      #"gayle-gaston.tenet.edu - - [01/Jul/1995:00:00:50 -0400] "GET /shuttle/missions/sts-71/mission-sts-71.html HTTP/1.0" 304 -"#,
      "gayle-gaston.tenet.edu", "GET", "/shuttle/missions/sts-71/mission-sts-71.html", "304"
    ),
    (
      #"dd15-062.compuserve.com - - [01/Jul/1995:00:01:12 -0400] "GET /news/sci.space.shuttle/archive/sci-space-shuttle-22-apr-1995-40.txt" 404 -"#,
      "dd15-062.compuserve.com", "GET",
      "/news/sci.space.shuttle/archive/sci-space-shuttle-22-apr-1995-40.txt", "404"
    ),
    (
      #"klothos.crl.research.digital.com - - [10/Jul/1995:16:45:50 -0400] "GET /a b.html HTTP/1.0" 404 -"#,
      "klothos.crl.research.digital.com", "GET", "/a b.html", "404"
    ),
    (
      #"jhc.com - - [03/Jul/1995:10:49:40 -0400] "GET /x"y.html HTTP/1.0" 404 -"#,
      "jhc.com", "GET", "/x\"y.html", "404"
    ),
    (
      #"h.net - - [03/Jul/1995:10:49:40 -0400] "GET /x" 200 5 HTTP/1.0" 200 1234"#,
      "h.net", "GET", "/x\" 200 5", "200"
    ),
    (
      #"h.net - - [03/Jul/1995:10:49:40 -0400] "GET /index.html" 200 1839"#,
      "h.net", "GET", "/index.html", "200"
    ),
    (
      #"h.net - - [03/Jul/1995:10:49:40 -0400] "GET  /two-spaces.html  HTTP/1.0" 200 1"#,
      "h.net", "GET", "/two-spaces.html", "200"
    ),
    (#"h.net - - [03/Jul/1995:10:49:40 -0400] "GET" 400 -"#, "h.net", "GET", nil, "400"),
    // IPv6 hosts, escaped quotes, nginx's \x escapes.
    (
      #"2001:db8::1 - - [10/Oct/2000:13:55:36 -0700] "POST /api/v1 HTTP/2.0" 201 0 "-" "curl/8.0""#,
      "2001:db8::1", "POST", "/api/v1", "201"
    ),
    (
      #"::1 - - [10/Oct/2000:13:55:36 -0700] "GET /q?s=\"x\" HTTP/1.1" 200 10 "-" "-""#,
      "::1", "GET", "/q?s=\"x\"", "200"
    ),
    (
      #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "\x16\x03\x01\x00" 400 157 "-" "-""#,
      "1.2.3.4", "\\x16\\x03\\x01\\x00", nil, "400"
    ),
    // Extra fields after the agent, including a quoted field followed by a number.
    (
      #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5 "-" "UA" "10.0.0.1:80" 200 0.002"#,
      "1.2.3.4", "GET", "/", "200"
    ),
  ]

  @Test(arguments: quirks) func acceptsRealLogQuirks(
    _ line: String, _ host: String, _ method: String, _ page: String?, _ status: String
  ) {
    let (outcome, values) = parse(line)
    #expect(outcome == .record)
    #expect(values["anonymous_id"] == host)
    #expect(values["event"] == method)
    #expect(values["page"] == page)
    #expect(values["status"] == status)
    #expect(values["type"] == "page")
    #expect(values["user_id"] == nil)
  }

  @Test func unescapesAgentAndReferrerAndDropsDashes() {
    let line = #"""
      h - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "say \"hi\" \\ \x22"
      """#
    let (_, values) = parse(line)
    #expect(values["referrer"] == nil)
    #expect(values["user_agent"] == #"say "hi" \ \x22"#)
    #expect(parse(#"h - - [t] "GET / HTTP/1.1" 200 1 "" "-""#).1["user_agent"] == nil)
  }

  static let cookieLines: [(String, String)] = [
    (#"h - - [t] "GET / HTTP/1.1" 200 1 "-" "UA" vid=abc123"#, "abc123"),
    (#"h - - [t] "GET / HTTP/1.1" 200 1 "-" "UA" "vid=abc; other=1""#, "abc"),
    (#"h - - [t] "GET / HTTP/1.1" 200 1 "-" "UA" "other=1; vid=xyz ""#, "xyz"),
    (#"h - - [t] "GET / HTTP/1.1" 200 1 vid=common"#, "common"),
    (#"h - - [t] "GET / HTTP/1.1" 200 1 "-" "UA" "avid=no; vid=yes""#, "yes"),
    (#"h - - [t] "GET / HTTP/1.1" 200 1 "-" "UA" vid=-"#, "h UA"),
    (#"h - - [t] "GET / HTTP/1.1" 200 1 "-" "UA" "vid=""#, "h UA"),
    (#"h - - [t] "GET / HTTP/1.1" 200 1 "-" "UA""#, "h UA"),
    (#"h - - [t] "GET / HTTP/1.1" 200 1 "http://x/?vid=ref" "UA""#, "h UA"),
    (#"h - - [t] "GET / HTTP/1.1" 200 1"#, "h"),
  ]

  @Test(arguments: cookieLines) func takesTheVisitorFromACookie(_ line: String, _ id: String) {
    let (outcome, values) = parse(line, visitor: .cookie("vid"))
    #expect(outcome == .record)
    #expect(values["anonymous_id"] == id)
  }

  @Test func identifiesVisitorsByHostAndAgent() {
    let line = #"h - alice [t] "GET / HTTP/1.1" 200 1 "-" "Agent/1.0""#
    #expect(parse(line, visitor: .host).1["anonymous_id"] == "h")
    #expect(parse(line, visitor: .hostAndUserAgent).1["anonymous_id"] == "h Agent/1.0")
    #expect(parse(line, visitor: .host).1["user_id"] == "alice")
    #expect(
      parse(#"h - - [t] "GET / HTTP/1.1" 200 1"#, visitor: .hostAndUserAgent).1["anonymous_id"]
        == "h")
  }

  @Test(arguments: [
    #"h - - [10/Oct/2000:13:55:36 -0700] "-" 408 -"#,
    #"h - - [10/Oct/2000:13:55:36 -0700] "" 400 0 "-" "-""#,
    "", "   ",
  ])
  func skipsLinesWithoutARequest(_ line: String) {
    #expect(parse(line).0 == .skip)
  }

  static let malformed: [String] = [
    "garbage", "h - -", #"h - - 10/Oct/2000:13:55:36 -0700 "GET /" 200 1"#,
    #"h - - [10/Oct/2000:13:55:36 -0700 "GET /" 200 1"#,
    #"h - - [10/Oct/2000:13:55:36 -0700] GET / 200 1"#,
    #"h - - [10/Oct/2000:13:55:36 -0700] "GET /" 20 1"#,
    #"h - - [10/Oct/2000:13:55:36 -0700] "GET /" 200"#,
    #"h - - [10/Oct/2000:13:55:36 -0700] "GET /" 200 "#,
    #"h - - [10/Oct/2000:13:55:36 -0700] "GET /" 200 12a"#,
    #"h - - [10/Oct/2000:13:55:36 -0700] "GET /" abc 1"#,
    #"h - - [10/Oct/2000:13:55:36 -0700] "GET / 200 1"#,
    #"h - - [10/Oct/2000:13:55:36 -0700] "GET /" 200 1 "unclosed"#,
    #"h - - [10/Oct/2000:13:55:36 -0700] "GET /" 200 1 "-"x"#,
    #"h - - [] "GET /" 200 1"#, #" - - [t] "GET /" 200 1"#, #"h  - [t] "GET /" 200 1"#,
    #"h - [t] "GET /" 200 1"#,
    #"{"json":"line"}"#, "a,b,c",
  ]

  @Test(arguments: malformed) func rejectsOtherShapes(_ line: String) {
    #expect(parse(line).0 == .bad(.invalidAccessLog))
  }

  @Test func reportsNulBytesAndCopesWithLatin1() {
    var parser = AccessLogParser(visitor: .host)
    let nul = Array(#"h - - [t] "GET /"#.utf8) + [0] + Array(#"" 200 1"#.utf8)
    #expect(ParseHarness.run(&parser, bytes: nul).0 == .bad(.nulByte))
    let latin1 = Array(#"h - - [t] "GET /caf"#.utf8) + [0xE9] + Array(#"" 200 1"#.utf8)
    let (outcome, fields) = ParseHarness.run(&parser, bytes: latin1)
    #expect(outcome == .record)
    #expect(fields.withValue(.page) { Array($0) } == Array("/caf".utf8) + [0xE9])
  }

  @Test func survivesEveryTruncationAndByteFlip() {
    let line = Array(
      #"h.x - u [10/Oct/2000:13:55:36 -0700] "GET /a\"b HTTP/1.0" 200 5 "r" "a\\" "vid=1""#.utf8)
    var parser = AccessLogParser(visitor: .cookie("vid"))
    for cut in 0...line.count { _ = ParseHarness.run(&parser, bytes: Array(line[0..<cut])) }
    for index in line.indices {
      for byte: UInt8 in [0x20, 0x22, 0x5C, 0x5B, 0x5D, 0x2D, 0x31, 0xFF] {
        var mutated = line
        mutated[index] = byte
        _ = ParseHarness.run(&parser, bytes: mutated)
      }
    }
    #expect(ParseHarness.run(&parser, bytes: line).0 == .record)
  }

  /// The real NASA Kennedy Space Center log, July 1995 (see ../shared/realdata/README.md).
  @Test(.enabled(if: RealData.nasaLog != nil, "needs ../shared/realdata/weblogs"))
  func parsesTheNASAKennedyLog() throws {
    let path = try #require(RealData.nasaLog)
    let inflated = IngestTestKit.referenceInflate(try FileBytes.read(path))
    #expect(inflated.clean)
    let data = inflated.output
    var parser = AccessLogParser(visitor: .host)
    var fields = RecordFields()
    var counts: [String: Int] = [:]
    var rejected: [String] = []
    var badTimestamps = 0
    data.withUnsafeBufferPointer { all in
      var start = 0
      for index in all.indices where all[index] == 0x0A {
        let line = UnsafeBufferPointer(rebasing: all[start..<index])
        start = index + 1
        fields.reset()
        let outcome = parser.parse(line, into: &fields)
        counts["\(outcome)", default: 0] += 1
        if outcome != .record {
          rejected.append(String(decoding: line, as: UTF8.self))
        } else if case .millis = fields.withValue(
          .timestamp,
          {
            TimestampParser.parse($0, format: .clf)
          })
        {
        } else {
          badTimestamps += 1
        }
      }
    }
    print(
      "NASA log outcomes: \(counts.sorted { $0.key < $1.key }); first rejects: \(rejected.prefix(5))"
    )
    #expect(counts.values.reduce(0, +) == 267_838)
    #expect(counts["record"] == 267_838)
    #expect(badTimestamps == 0)
  }
}
