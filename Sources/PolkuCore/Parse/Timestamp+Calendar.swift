/// Proleptic Gregorian calendar arithmetic and ISO 8601 output.
///
/// The day conversions are Howard Hinnant's `days_from_civil` / `civil_from_days`
/// (<https://howardhinnant.github.io/date_algorithms.html>), exact for every year that fits.
extension TimestampParser {
  /// Days since 1970-01-01 of a civil date (month 1...12, day 1...31).
  public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let shiftedMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The civil date of a day count since 1970-01-01.
  public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra =
      (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  static func isLeapYear(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Formats milliseconds since the epoch as `2024-03-10T23:59:59.123Z` (UTC, always three
  /// fraction digits). Any `Int64` is accepted; years outside 0...9999 get more digits or
  /// a sign.
  public static func formatISO8601(_ millis: Int64) -> String {
    format(millis, withFraction: true)
  }

  /// Formats milliseconds since the epoch as `2024-03-10T23:59:59Z` (UTC; the fraction is
  /// dropped, not rounded).
  public static func formatISO8601Seconds(_ millis: Int64) -> String {
    format(millis, withFraction: false)
  }

  private static func format(_ millis: Int64, withFraction: Bool) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(32)
    appendISO8601(millis, withFraction: withFraction, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the ``formatISO8601(_:)`` text of `millis` to `bytes` (no String on the way:
  /// output writers call this once per row).
  public static func appendISO8601(
    _ millis: Int64, withFraction: Bool = true, to bytes: inout [UInt8]
  ) {
    withISO8601(millis, withFraction: withFraction) { bytes.append(contentsOf: $0) }
  }

  /// The date part (`YYYY-MM-DD`) of the last day ``withISO8601(_:withFraction:cache:_:)``
  /// wrote: rows written in time order mostly share a day, and the date is the costly half.
  struct DateCache {
    fileprivate var day = Int64.min
    /// The first 16 bytes of its text: the date, then time bytes that are always rewritten.
    fileprivate var text: (UInt64, UInt64) = (0, 0)

    init() {}
  }

  /// Calls `body` with the ``formatISO8601(_:)`` text of `millis`: for years 0...9999
  /// (the usual case) from a fixed layout filled in on the stack, without an allocation.
  @inline(__always)
  static func withISO8601<R>(
    _ millis: Int64, withFraction: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> R
  ) -> R {
    var cache = DateCache()
    return withISO8601(millis, withFraction: withFraction, cache: &cache, body)
  }

  /// ``withISO8601(_:withFraction:_:)``, with the date taken from `cache` when `millis` is
  /// on the cached day (and the cache moved to its day otherwise).
  @inline(__always)
  static func withISO8601<R>(
    _ millis: Int64, withFraction: Bool, cache: inout DateCache,
    _ body: (UnsafeBufferPointer<UInt8>) -> R
  ) -> R {
    let (days, dayMillis) = floorDivide(millis, 86_400_000)
    var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
    if days != cache.day {
      let date = civilFromDays(days)
      guard date.year >= 0 && date.year <= 9999 else {
        var bytes: [UInt8] = []
        appendISO8601Slowly(date, dayMillis, withFraction: withFraction, to: &bytes)
        return bytes.withUnsafeBufferPointer(body)
      }
      withUnsafeMutableBytes(of: &text) { out in
        let year = Int(date.year)
        out[0] = 48 + UInt8(year / 1000)
        out[1] = 48 + UInt8(year / 100 % 10)
        out[2] = 48 + UInt8(year / 10 % 10)
        out[3] = 48 + UInt8(year % 10)
        out[4] = UInt8(ascii: "-")
        putTwo(Int(date.month), out, 5)
        out[7] = UInt8(ascii: "-")
        putTwo(Int(date.day), out, 8)
      }
      cache.day = days
      cache.text = (text.0, text.1)
    } else {
      text.0 = cache.text.0
      text.1 = cache.text.1
    }
    let count = withFraction ? 24 : 20
    return withUnsafeMutableBytes(of: &text) { out in
      out[10] = UInt8(ascii: "T")
      putTwo(Int(dayMillis / 3_600_000), out, 11)
      out[13] = UInt8(ascii: ":")
      putTwo(Int(dayMillis / 60_000 % 60), out, 14)
      out[16] = UInt8(ascii: ":")
      putTwo(Int(dayMillis / 1000 % 60), out, 17)
      if withFraction {
        let fraction = Int(dayMillis % 1000)
        out[19] = UInt8(ascii: ".")
        out[20] = 48 + UInt8(fraction / 100)
        out[21] = 48 + UInt8(fraction / 10 % 10)
        out[22] = 48 + UInt8(fraction % 10)
      }
      out[count - 1] = UInt8(ascii: "Z")
      return body(UnsafeBufferPointer(rebasing: out.bindMemory(to: UInt8.self)[0..<count]))
    }
  }

  /// The text of ``withISO8601(_:withFraction:_:)`` for years outside 0...9999.
  private static func appendISO8601Slowly(
    _ date: (year: Int64, month: Int64, day: Int64), _ dayMillis: Int64, withFraction: Bool,
    to bytes: inout [UInt8]
  ) {
    if date.year < 0 { bytes.append(UInt8(ascii: "-")) }
    append(date.year.magnitude, width: 4, to: &bytes)
    bytes.append(UInt8(ascii: "-"))
    appendTwo(UInt64(date.month), to: &bytes)
    bytes.append(UInt8(ascii: "-"))
    appendTwo(UInt64(date.day), to: &bytes)
    bytes.append(UInt8(ascii: "T"))
    appendTwo(UInt64(dayMillis / 3_600_000), to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    appendTwo(UInt64(dayMillis / 60_000 % 60), to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    appendTwo(UInt64(dayMillis / 1000 % 60), to: &bytes)
    if withFraction {
      let fraction = Int(dayMillis % 1000)
      bytes.append(UInt8(ascii: "."))
      bytes.append(48 + UInt8(fraction / 100))
      bytes.append(48 + UInt8(fraction / 10 % 10))
      bytes.append(48 + UInt8(fraction % 10))
    }
    bytes.append(UInt8(ascii: "Z"))
  }

  @inline(__always)
  private static func putTwo(_ value: Int, _ out: UnsafeMutableRawBufferPointer, _ at: Int) {
    out[at] = 48 + UInt8(value / 10 % 10)
    out[at + 1] = 48 + UInt8(value % 10)
  }

  @inline(__always)
  private static func appendTwo(_ value: UInt64, to bytes: inout [UInt8]) {
    bytes.append(48 + UInt8(value / 10 % 10))
    bytes.append(48 + UInt8(value % 10))
  }

  /// Floor division and a non-negative remainder, without overflow for any dividend.
  private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
    let quotient = value / divisor
    let remainder = value % divisor
    return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
  }

  /// Appends `value` in decimal, zero-padded to at least `width` digits (no allocation:
  /// this runs twice per row of `sessions.csv`).
  private static func append(_ value: UInt64, width: Int, to bytes: inout [UInt8]) {
    var digits = 1
    var scale: UInt64 = 1
    while value / scale >= 10 {
      scale *= 10
      digits += 1
    }
    for _ in digits..<max(width, digits) { bytes.append(UInt8(ascii: "0")) }
    while scale > 0 {
      bytes.append(UInt8(ascii: "0") + UInt8(value / scale % 10))
      scale /= 10
    }
  }
}
