import PolkuCore

/// Calendar arithmetic on Unix milliseconds for the generator's timestamp text.
///
/// Proleptic Gregorian, UTC, Howard Hinnant's `days_from_civil` / `civil_from_days`.
/// Nothing here allocates, so formatting a timestamp costs a few divisions.
enum CivilTime {
  static let msPerDay: Int64 = 86_400_000
  static let monthNames: [StaticString] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  /// Days since 1970-01-01 of a civil date.
  static func days(year: Int, month: Int, day: Int) -> Int64 {
    TimestampParser.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
  }

  /// The civil date of a day number.
  static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
    let date = TimestampParser.civilFromDays(days)
    return (Int(date.year), Int(date.month), Int(date.day))
  }

  /// The day number (UTC) that contains `ms`.
  @inline(__always) static func day(of ms: Int64) -> Int64 {
    ms >= 0 ? ms / msPerDay : (ms - msPerDay + 1) / msPerDay
  }

  /// `yyyy-MM-dd` of a day number.
  static func dateString(days: Int64) -> String {
    let (y, m, d) = civil(days: days)
    let buffer = ByteBuffer(capacity: 16)
    buffer.append(padded: y, width: 4)
    buffer.append(UInt8(ascii: "-"))
    buffer.append(padded: m, width: 2)
    buffer.append(UInt8(ascii: "-"))
    buffer.append(padded: d, width: 2)
    return String(decoding: buffer.bytes, as: UTF8.self)
  }

  /// Appends ISO 8601 with milliseconds: `2026-11-01T08:00:01.123Z`, or with
  /// `offsetMinutes` ≠ 0 the same instant in local time: `2026-11-01T10:00:01.123+02:00`.
  static func appendISO(_ ms: Int64, offsetMinutes: Int = 0, to out: ByteBuffer) {
    let local = ms + Int64(offsetMinutes) * 60_000
    let days = day(of: local)
    let inDay = Int(local - days * msPerDay)
    let (y, m, d) = civil(days: days)
    out.append(padded: y, width: 4)
    out.append(UInt8(ascii: "-"))
    out.append(padded: m, width: 2)
    out.append(UInt8(ascii: "-"))
    out.append(padded: d, width: 2)
    out.append(UInt8(ascii: "T"))
    appendClock(inDay, to: out)
    out.append(UInt8(ascii: "."))
    out.append(padded: inDay % 1000, width: 3)
    if offsetMinutes == 0 {
      out.append(UInt8(ascii: "Z"))
    } else {
      appendOffset(offsetMinutes, colon: true, to: out)
    }
  }

  /// Appends the NCSA log time `01/Nov/2026:08:00:01 +0000` (whole seconds, truncated).
  static func appendNCSA(_ ms: Int64, offsetMinutes: Int = 0, to out: ByteBuffer) {
    let local = ms + Int64(offsetMinutes) * 60_000
    let days = day(of: local)
    let inDay = Int(local - days * msPerDay)
    let (y, m, d) = civil(days: days)
    out.append(padded: d, width: 2)
    out.append(UInt8(ascii: "/"))
    out.append(monthNames[m - 1])
    out.append(UInt8(ascii: "/"))
    out.append(padded: y, width: 4)
    out.append(UInt8(ascii: ":"))
    appendClock(inDay, to: out)
    out.append(UInt8(ascii: " "))
    appendOffset(offsetMinutes, colon: false, to: out)
  }

  private static func appendClock(_ msInDay: Int, to out: ByteBuffer) {
    let seconds = msInDay / 1000
    out.append(padded: seconds / 3600, width: 2)
    out.append(UInt8(ascii: ":"))
    out.append(padded: seconds / 60 % 60, width: 2)
    out.append(UInt8(ascii: ":"))
    out.append(padded: seconds % 60, width: 2)
  }

  private static func appendOffset(_ minutes: Int, colon: Bool, to out: ByteBuffer) {
    out.append(UInt8(ascii: minutes < 0 ? "-" : "+"))
    out.append(padded: abs(minutes) / 60, width: 2)
    if colon { out.append(UInt8(ascii: ":")) }
    out.append(padded: abs(minutes) % 60, width: 2)
  }
}
