import Testing

@testable import PolkuCore

/// Field paths that select from arrays of key/value objects (`a[key=x].value`) and
/// fallback lists (`p|q`) in the JSON Lines reader.
@Suite struct JSONArraySelectorTests {
  static let ga4Paths: [Field: String] = [
    .timestamp: "event_timestamp",
    .anonymousId: "user_pseudo_id",
    .page: "event_params[key=page_location].value.string_value",
    .messageId:
      "event_params[key=ga_session_id].value.int_value"
      + "|event_params[key=ga_session_id].value.string_value",
    .source: "collected_traffic_source.manual_source|traffic_source.source",
  ]

  private func parse(_ line: String, paths: [Field: String] = ga4Paths)
    -> (ParseOutcome, [String: String])
  {
    var parser = JSONLinesParser(paths: paths)
    let (outcome, fields) = ParseHarness.run(&parser, line)
    return (outcome, ParseHarness.values(fields))
  }

  @Test func selectsTheElementWhoseKeyMatchesInAnyMemberOrder() {
    let line = """
      {"event_timestamp":"1730419200123456","user_pseudo_id":"p.1","event_params":[\
      {"key":"page_title","value":{"string_value":"Home"}},\
      {"value":{"string_value":"https://ex.com/a?b=1","int_value":null},"key":"page_location"},\
      {"key":"ga_session_id","value":{"string_value":null,"int_value":"1730419200"}}]}
      """
    let (outcome, values) = parse(line)
    #expect(outcome == .record)
    #expect(values["page"] == "https://ex.com/a?b=1")
    #expect(values["message_id"] == "1730419200")
    #expect(values["timestamp"] == "1730419200123456")
    #expect(values["anonymous_id"] == "p.1")
  }

  @Test func noMatchingElementLeavesTheFieldAbsent() {
    let line = """
      {"user_pseudo_id":"p.1","event_params":[{"key":"page_title","value":{"string_value":"x"}},\
      {"key":"PAGE_LOCATION","value":{"string_value":"case matters"}},{"key":1,"value":{}},\
      {"value":{"string_value":"no key member"}}]}
      """
    let (outcome, values) = parse(line)
    #expect(outcome == .record)
    #expect(values == ["anonymous_id": "p.1"])
  }

  @Test func nonObjectElementsAndNestedArraysAreSkipped() {
    let line = """
      {"event_params":[1,"page_location",null,true,[{"key":"page_location",\
      "value":{"string_value":"nested"}}],{"key":"page_location","value":{"string_value":"/ok",\
      "x":[[],{"key":"page_location"}]}},-2.5e3,{}]}
      """
    let (outcome, values) = parse(line)
    #expect(outcome == .record)
    #expect(values == ["page": "/ok"])
  }

  @Test func aNonArrayAtTheSelectorLeavesTheFieldAbsent() {
    for params in [#"{"key":"page_location","value":{"string_value":"/x"}}"#, #""/x""#, "null"] {
      let (outcome, values) = parse(#"{"event_params":\#(params),"user_pseudo_id":"p"}"#)
      #expect(outcome == .record)
      #expect(values == ["anonymous_id": "p"], "\(params)")
    }
  }

  @Test func theLastMatchingElementWinsAndReplacesTheEarlierOne() {
    // The second element matches but has no string_value: the field is then absent, as a
    // repeated parent key replaces everything the earlier one provided.
    let replaced = """
      {"event_params":[{"key":"page_location","value":{"string_value":"/first"}},\
      {"key":"page_location","value":{"int_value":"3"}}]}
      """
    #expect(parse(replaced).1 == [:])
    let withoutValue = """
      {"event_params":[{"key":"page_location","value":{"string_value":"/first"}},\
      {"key":"page_location"}]}
      """
    #expect(parse(withoutValue).1 == [:])
    let last = """
      {"event_params":[{"key":"page_location","value":{"string_value":"/first"}},\
      {"key":"page_location","value":{"string_value":"/second"}}]}
      """
    #expect(parse(last).1 == ["page": "/second"])
  }

  @Test func aRepeatedKeyMemberCountsByItsLastOccurrence() {
    let lastMatches = """
      {"event_params":[{"key":"page_title","value":{"string_value":"/a"},"key":"page_location"}]}
      """
    #expect(parse(lastMatches).1 == ["page": "/a"])
    let lastDiffers = """
      {"event_params":[{"key":"page_location","value":{"string_value":"/a"},"key":"page_title"}]}
      """
    #expect(parse(lastDiffers).1 == [:])
  }

  @Test func escapedMemberNamesAndValuesAreDecodedBeforeComparing() {
    let line = #"""
      {"event_params":[{"k\u0065y":"page\u005flocation","value":{"string_value":"\/p\u00e4ge"}}]}
      """#
    let (outcome, values) = parse(line)
    #expect(outcome == .record)
    #expect(values == ["page": "/päge"])
    let selectorWithDot = parse(
      #"{"p":[{"name":"a.b","v":"x"}]}"#, paths: [.page: "p[name=a.b].v"])
    #expect(selectorWithDot.1 == ["page": "x"])
  }

  @Test func theFirstPresentAlternativeWins() {
    let intFirst = """
      {"event_params":[{"key":"ga_session_id","value":{"string_value":"s","int_value":"7"}}],\
      "traffic_source":{"source":"google"},"collected_traffic_source":{"manual_source":"news"}}
      """
    #expect(parse(intFirst).1 == ["message_id": "7", "source": "news"])
    let fallback = """
      {"collected_traffic_source":null,"traffic_source":{"source":"google"},\
      "event_params":[{"key":"ga_session_id","value":{"string_value":"s-9","int_value":null}}]}
      """
    #expect(parse(fallback).1 == ["message_id": "s-9", "source": "google"])
    // An escaped value in a fallback slot is decoded into the arena and still resolves.
    let escaped = #"{"traffic_source":{"source":"go\u006fgle"}}"#
    #expect(parse(escaped).1 == ["source": "google"])
    #expect(parse(#"{"traffic_source":{}}"#).1 == [:])
  }

  @Test(arguments: [
    #"{"event_params":[{"key":"page_location","value":{"string_value":"/x"}},]}"#,
    #"{"event_params":[{"key":"page_location" "value":{}}]}"#,
    #"{"event_params":[{"key":"page_location","value":{"string_value":"/x"}}"#,
    #"{"event_params":[{"key":page_location}]}"#,
    #"{"event_params":[{"key":"page_location","value":{"string_value":"/x"}]}"#,
    #"{"event_params":[01]}"#,
    #"{"event_params":[{"key":"a"}] "x"}"#,
  ])
  func malformedLinesAreStillRejected(line: String) {
    #expect(parse(line).0 == .bad(.invalidJSON))
    #expect(parse(line, paths: [.page: "event_params.value"]).0 == .bad(.invalidJSON))
  }

  @Test func deepNestingInsideSelectedArraysIsTooDeep() {
    let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
    let line = #"{"event_params":[{"key":"page_location","value":\#(deep)}]}"#
    #expect(parse(line).0 == .bad(.tooDeep))
  }

  @Test func plainPathsWithoutSelectorsReadArraysAsBefore() {
    // An array where a plain path expects an object leaves the field absent.
    let line = #"{"event_params":[{"key":"page_location","value":{"string_value":"/x"}}]}"#
    #expect(parse(line, paths: [.page: "event_params.value.string_value"]).1 == [:])
  }

  @Test func pathSyntaxIsParsedAndMalformedPathsAreNamed() throws {
    let path = try JSONFieldPath(parsing: "a[key=x.y].b|c")
    #expect(path.alternatives.count == 2)
    #expect(path.alternatives[0].map { String(decoding: $0.key, as: UTF8.self) } == ["a", "b"])
    #expect(
      path.alternatives[0][0].selector.map { String(decoding: $0.value, as: UTF8.self) } == "x.y")
    for bad in [
      "a[key=]", "a[=x]", "a[key", "a]", "a[key=x]b", "[key=x]", "a[kx]", "a||b", "a[[k=x]]",
    ] {
      #expect(throws: JSONFieldPathError.self, "\(bad)") { try JSONFieldPath(parsing: bad) }
    }
  }
}
