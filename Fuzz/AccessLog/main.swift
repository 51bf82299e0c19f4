// libFuzzer harness: AccessLogParser in cookie mode (and the host rules).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAccessLog(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let line = UnsafeBufferPointer(start: data, count: size)
  var fields = RecordFields()
  var first: ParseOutcome?
  for visitor in [AccessLogVisitor.cookie("vid"), .host, .hostAndUserAgent] {
    var parser = AccessLogParser(visitor: visitor)
    fields.reset()
    let outcome = parser.parse(line, into: &fields)
    check(outcome != .needsMore, "access-log lines never continue")
    if let first { check(first == outcome, "visitor rule changed the outcome") }
    first = outcome
    guard outcome == .record else { continue }
    for field in [Field.timestamp, .type, .event, .status, .anonymousId] {
      check(fields.has(field), "record without \(field)")
    }
    let status = fields.withValue(.status) { Array($0) } ?? []
    check(status.count == 3 && status.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, "status \(status)")
    for field in Field.allCases {
      // Every value is a slice of (or decoded from) the line: never longer than it.
      let count = fields.withValue(field) { $0.count } ?? 0
      check(count <= size, "\(field) longer than the line")
    }
    // The timestamp text always goes through the CLF parser in a real run.
    _ = fields.withValue(.timestamp) { TimestampParser.parse($0, format: .clf) }
  }
  return 0
}
