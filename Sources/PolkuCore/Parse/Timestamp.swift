/// How a timestamp field is written in an input.
public enum TimestampFormat: String, Sendable, CaseIterable {
  /// Guess per value: ISO 8601 when it starts `YYYY-`, CLF when it starts `dd/`, otherwise
  /// an epoch number in milliseconds when it is at least 100_000_000_000, else in seconds.
  case auto
  /// ISO 8601 / RFC 3339: `2024-03-10T23:59:59.123+02:00`, `2024-03-10 23:59:59`,
  /// `2024-03-10`.
  case iso8601
  /// Seconds since the epoch: `1700000000`, `1700000000.5`, `1.7e9`.
  case epochSeconds = "epoch_seconds"
  /// Milliseconds since the epoch: `1700000000123`.
  case epochMillis = "epoch_millis"
  /// Microseconds since the epoch: `1730419200123456` (GA4's `event_timestamp`); truncated
  /// to milliseconds.
  case epochMicros = "epoch_micros"
  /// NCSA Common Log Format: `10/Oct/2000:13:55:36 -0700`.
  case clf
}

/// The outcome of parsing one timestamp.
public enum TimestampResult: Equatable, Sendable {
  /// Milliseconds since 1970-01-01T00:00:00Z.
  case millis(Int64)
  /// Not a timestamp of the expected format, or a field out of its range (month 13,
  /// 30 February, hour 24, offset hour 24).
  case invalid
  /// A well-formed timestamp whose instant (in UTC) is before 1970-01-01T00:00:00Z or at
  /// or after 2101-01-01T00:00:00Z, including numbers too large for 64 bits.
  case outOfRange
}

/// Parses and formats timestamps without Foundation and without allocating.
///
/// Rules that are choices rather than standards:
/// - Surrounding ASCII whitespace is ignored.
/// - Fractions of seconds may have any number of digits; they are truncated to
///   milliseconds (never rounded), for ISO 8601 and epoch numbers alike.
/// - A leap second (`:60`) is read as `:59.999` of the same minute, so it sorts after every
///   other instant of that minute and before the next minute.
/// - A timestamp without an offset is UTC. Offsets may be `Z`, `±hh`, `±hhmm`, `±hh:mm`,
///   optionally preceded by one space (`2024-03-10 23:59:59 +0000`).
/// - Epoch numbers follow the JSON number grammar (optional `-`, no `+`, exponent allowed);
///   negative instants are out of range.
public enum TimestampParser {
  /// Milliseconds at 2101-01-01T00:00:00Z, the first instant out of range.
  static let endMillis: Int64 = daysFromCivil(year: 2101, month: 1, day: 1) * 86_400_000

  /// Parses `bytes` as a timestamp written in `format`.
  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, format: TimestampFormat)
    -> TimestampResult
  {
    guard let base = bytes.baseAddress else { return .invalid }
    var start = 0
    var end = bytes.count
    while start < end && isSpace(base[start]) { start += 1 }
    while end > start && isSpace(base[end - 1]) { end -= 1 }
    let text = UnsafeBufferPointer(start: base + start, count: end - start)
    guard !text.isEmpty else { return .invalid }
    switch format {
    case .iso8601: return parseISO8601(text)
    case .clf: return parseCLF(text)
    case .epochSeconds: return parseEpoch(text, unit: .seconds)
    case .epochMillis: return parseEpoch(text, unit: .millis)
    case .epochMicros: return parseEpoch(text, unit: .micros)
    case .auto:
      if text.count >= 10 && text[4] == UInt8(ascii: "-") && isDigit(text[0]) {
        return parseISO8601(text)
      }
      if text.count >= 3 && text[2] == UInt8(ascii: "/") { return parseCLF(text) }
      return parseEpoch(text, unit: .auto)
    }
  }

  /// Parses a string (tests and slow paths).
  public static func parse(_ text: String, format: TimestampFormat) -> TimestampResult {
    var copy = text
    return copy.withUTF8 { parse($0, format: format) }
  }

  /// Checks an instant against the supported range.
  static func ranged(_ millis: Int64) -> TimestampResult {
    millis >= 0 && millis < endMillis ? .millis(millis) : .outOfRange
  }

  @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
    byte &- UInt8(ascii: "0") < 10
  }

  @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }
}

// MARK: - Epoch numbers

extension TimestampParser {
  enum EpochUnit {
    case seconds
    case millis
    case micros
    /// Milliseconds when the value is at least 10^11, else seconds.
    case auto
  }

  /// Parses a JSON-style number exactly (no `Double`): up to 18 significant digits are
  /// kept, further digits are truncated, and the exponent is clamped, so no input traps.
  static func parseEpoch(_ text: UnsafeBufferPointer<UInt8>, unit: EpochUnit) -> TimestampResult {
    let count = text.count
    var index = 0
    var negative = false
    if text[0] == UInt8(ascii: "-") {
      negative = true
      index = 1
    }
    var mantissa: Int64 = 0
    var significant = 0
    var scale = 0
    var sawDigit = false
    while index < count, isDigit(text[index]) {
      let digit = Int64(text[index] &- UInt8(ascii: "0"))
      if mantissa != 0 || digit != 0 {
        if significant < 18 {
          mantissa = mantissa * 10 + digit
          significant += 1
        } else {
          scale += 1
        }
      }
      sawDigit = true
      index += 1
    }
    guard sawDigit else { return .invalid }
    if index < count && text[index] == UInt8(ascii: ".") {
      index += 1
      var fractionDigits = 0
      while index < count, isDigit(text[index]) {
        let digit = Int64(text[index] &- UInt8(ascii: "0"))
        if significant < 18 {
          if mantissa != 0 || digit != 0 {
            mantissa = mantissa * 10 + digit
            significant += 1
          }
          scale -= 1
        }
        fractionDigits += 1
        index += 1
      }
      guard fractionDigits > 0 else { return .invalid }
    }
    if index < count && (text[index] | 0x20) == UInt8(ascii: "e") {
      index += 1
      var exponentNegative = false
      if index < count && (text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")) {
        exponentNegative = text[index] == UInt8(ascii: "-")
        index += 1
      }
      var exponent = 0
      var exponentDigits = 0
      while index < count, isDigit(text[index]) {
        exponent = min(exponent * 10 + Int(text[index] &- UInt8(ascii: "0")), 100_000)
        exponentDigits += 1
        index += 1
      }
      guard exponentDigits > 0 else { return .invalid }
      scale += exponentNegative ? -exponent : exponent
    }
    guard index == count else { return .invalid }
    if mantissa == 0 { return .millis(0) }
    if negative { return .outOfRange }
    let shift: Int
    switch unit {
    case .seconds: shift = 3
    case .millis: shift = 0
    case .micros: shift = -3
    case .auto: shift = significant - 1 + scale >= 11 ? 0 : 3
    }
    let power = scale + shift
    if power >= 0 {
      guard power <= 18 else { return .outOfRange }
      let (product, overflow) = mantissa.multipliedReportingOverflow(by: pow10(power))
      return overflow ? .outOfRange : ranged(product)
    }
    guard -power <= 18 else { return .millis(0) }
    return ranged(mantissa / pow10(-power))
  }

  /// 10^exponent for 0...18.
  static func pow10(_ exponent: Int) -> Int64 {
    var value: Int64 = 1
    for _ in 0..<exponent { value &*= 10 }
    return value
  }
}
