import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One calendar day in a time zone, as a half-open range of UTC milliseconds.
///
/// `--date 2026-11-01` with time zone `Europe/Helsinki` keeps the events from
/// 2026-10-31T22:00:00Z up to (not including) 2026-11-01T22:00:00Z. Days with a daylight
/// saving change are 23 or 25 hours long, as the zone's rules say.
public struct DayWindow: Sendable, Equatable {
  /// The day as `YYYY-MM-DD`.
  public var date: String
  public var start: Int64
  public var end: Int64

  private static let tzLock = Mutex<Void>(())

  public init(date: String, timeZone: String) throws {
    let parts = date.split(separator: "-")
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
      case .millis(let utcMidnight) = TimestampParser.parse(date, format: .iso8601)
    else {
      throw PolkuError(.usage, "--date must be YYYY-MM-DD, got \"\(date)\"")
    }
    self.date = date
    if timeZone == "UTC" || timeZone == "Z" {
      start = utcMidnight
      end = utcMidnight + 86_400_000
    } else if let offset = DayWindow.fixedOffset(timeZone) {
      start = utcMidnight - offset
      end = start + 86_400_000
    } else {
      guard !timeZone.contains(".."), access("/usr/share/zoneinfo/\(timeZone)", R_OK) == 0 else {
        throw PolkuError(
          .config,
          "unknown time zone \"\(VisibleText.escaped(timeZone))\" (use UTC, +hh:mm or an IANA "
            + "name)")
      }
      (start, end) = DayWindow.tzLock.withLock { _ in
        let saved = getenv("TZ").map { String(cString: $0) }
        setenv("TZ", timeZone, 1)
        tzset()
        defer {
          if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
          tzset()
        }
        return (
          DayWindow.localMidnight(year, month, day), DayWindow.localMidnight(year, month, day + 1)
        )
      }
    }
  }

  private static func localMidnight(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
    var parts = tm()
    parts.tm_year = Int32(year - 1900)
    parts.tm_mon = Int32(month - 1)
    parts.tm_mday = Int32(day)
    parts.tm_isdst = -1
    return Int64(mktime(&parts)) * 1000
  }

  /// `+02:00`, `-0530`, `+05` → milliseconds east of UTC.
  static func fixedOffset(_ text: String) -> Int64? {
    let chars = Array(text.utf8)
    guard chars.count >= 3, chars[0] == 43 || chars[0] == 45 else { return nil }
    let digits = chars.dropFirst().filter { $0 != 58 }
    guard digits.count == 2 || digits.count == 4, digits.allSatisfy({ $0 >= 48 && $0 <= 57 })
    else { return nil }
    let values = digits.map { Int64($0 - 48) }
    let hours = values[0] * 10 + values[1]
    let minutes = values.count == 4 ? values[2] * 10 + values[3] : 0
    guard hours <= 14, minutes < 60 else { return nil }
    let sign: Int64 = chars[0] == 45 ? -1 : 1
    return sign * (hours * 3600 + minutes * 60) * 1000
  }

  /// The days of `--date` as given: `2026-11-01` is one day, `2026-11-01..2026-11-07`
  /// every day from the first to the last, inclusive (at most 366).
  public static func days(_ text: String) throws -> [String] {
    let parts = text.split(separator: "..", omittingEmptySubsequences: false).map(String.init)
    guard parts.count <= 2 else {
      throw PolkuError(.usage, "--date must be YYYY-MM-DD or FROM..TO, got \"\(text)\"")
    }
    var dates: [Int64] = []
    for part in parts {
      guard part.count == 10,
        case .millis(let millis) = TimestampParser.parse(part, format: .iso8601)
      else {
        throw PolkuError(.usage, "--date must be YYYY-MM-DD or FROM..TO, got \"\(text)\"")
      }
      dates.append(millis)
    }
    let first = dates[0]
    let last = dates[dates.count - 1]
    guard last >= first, (last - first) / 86_400_000 < 366 else {
      throw PolkuError(.usage, "--date \(text): the last day must follow the first, within a year")
    }
    return stride(from: first, through: last, by: 86_400_000).map {
      String(TimestampParser.formatISO8601($0).prefix(10))
    }
  }

  /// Whether `time` (UTC ms) falls on this day.
  public func contains(_ time: Int64) -> Bool { time >= start && time < end }
}
