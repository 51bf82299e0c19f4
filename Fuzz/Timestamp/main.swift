// libFuzzer harness: TimestampParser in every format, with a format/parse round trip.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = UnsafeBufferPointer(start: data, count: size)
  for format in TimestampFormat.allCases {
    guard case .millis(let millis) = TimestampParser.parse(text, format: format) else {
      continue
    }
    check(millis >= 0 && millis < TimestampParser.endMillis, "\(format) out of range")
    let iso = TimestampParser.formatISO8601(millis)
    let again = TimestampParser.parse(iso, format: .iso8601)
    check(again == .millis(millis), "\(iso) does not read back as \(millis): \(again)")
    check(TimestampParser.parse(iso, format: .auto) == .millis(millis), "auto \(iso)")
    let seconds = TimestampParser.formatISO8601Seconds(millis)
    check(
      TimestampParser.parse(seconds, format: .iso8601) == .millis(millis / 1000 * 1000),
      "\(seconds) does not read back")
  }
  return 0
}
