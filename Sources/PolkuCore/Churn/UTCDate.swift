/// Calendar arithmetic on UTC days and ISO 8601 text, without Foundation.
///
/// A UTC day is `floor(ms / 86_400_000)`: day 0 is 1970-01-01. The conversions use
/// Howard Hinnant's `days_from_civil` algorithm (proleptic Gregorian calendar).
enum UTCDate {
  static let msPerDay: Int64 = 86_400_000

  /// The UTC day of a time in milliseconds since the epoch (floor division).
  static func day(ms: Int64) -> Int64 {
    ms >= 0 ? ms / msPerDay : -((-ms + msPerDay - 1) / msPerDay)
  }

  /// The day number of a calendar date.
  static func day(year: Int64, month: Int64, day: Int64) -> Int64 {
    TimestampParser.daysFromCivil(year: year, month: month, day: day)
  }

  /// The calendar date of a day number.
  static func civil(day: Int64) -> (year: Int64, month: Int64, day: Int64) {
    TimestampParser.civilFromDays(day)
  }

  /// `YYYY-MM-DD`.
  static func isoDate(day: Int64) -> String {
    let (y, m, d) = civil(day: day)
    return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
  }

  /// Parses `YYYY-MM-DD` into a day number.
  static func parseDate<C: Collection<UInt8>>(_ text: C) -> Int64? where C.Index == Int {
    guard text.count == 10 else { return nil }
    let s = text.startIndex
    guard text[s + 4] == UInt8(ascii: "-"), text[s + 7] == UInt8(ascii: "-"),
      let y = digits(text, s, 4), let m = digits(text, s + 5, 2), let d = digits(text, s + 8, 2),
      (1...12).contains(m), (1...31).contains(d)
    else { return nil }
    return day(year: y, month: m, day: d)
  }

  /// Parses `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ` into milliseconds.
  static func parseTimestamp(_ string: String) -> Int64? {
    let text = Array(string.utf8)
    guard text.count == 20 || text.count == 24, text[10] == UInt8(ascii: "T"),
      text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":"),
      text[text.count - 1] == UInt8(ascii: "Z"),
      let dayNumber = parseDate(text[0..<10]), let h = digits(text, 11, 2),
      let mi = digits(text, 14, 2), let se = digits(text, 17, 2), h < 24, mi < 60, se < 61
    else { return nil }
    var ms: Int64 = 0
    if text.count == 24 {
      guard text[19] == UInt8(ascii: "."), let value = digits(text, 20, 3) else { return nil }
      ms = value
    }
    return dayNumber * msPerDay + ((h * 60 + mi) * 60 + se) * 1000 + ms
  }

  private static func digits<C: Collection<UInt8>>(_ text: C, _ start: Int, _ count: Int)
    -> Int64? where C.Index == Int
  {
    var value: Int64 = 0
    for index in start..<(start + count) {
      let byte = text[index]
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int64(byte - UInt8(ascii: "0"))
    }
    return value
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
  }
}
