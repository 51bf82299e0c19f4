/// ISO 8601 and CLF parsing.
extension TimestampParser {
  /// Parses `YYYY-MM-DD[(T|t| )hh:mm[:ss[(.|,)fraction]][offset]]`.
  static func parseISO8601(_ text: UnsafeBufferPointer<UInt8>) -> TimestampResult {
    if let canonical = parseCanonicalISO8601(text) { return canonical }
    var cursor = DigitCursor(text: text)
    guard let year = cursor.digits(4), cursor.skip(UInt8(ascii: "-")),
      let month = cursor.digits(2), cursor.skip(UInt8(ascii: "-")),
      let day = cursor.digits(2)
    else { return .invalid }
    if cursor.atEnd {
      return instant(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, millis: 0)
    }
    let separator = cursor.next()
    guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == 0x20,
      let hour = cursor.digits(2), cursor.skip(UInt8(ascii: ":")), let minute = cursor.digits(2)
    else { return .invalid }
    var second = 0
    var millis = 0
    if cursor.skip(UInt8(ascii: ":")) {
      guard let value = cursor.digits(2) else { return .invalid }
      second = value
      if cursor.skip(UInt8(ascii: ".")) || cursor.skip(UInt8(ascii: ",")) {
        guard let value = cursor.fractionMillis() else { return .invalid }
        millis = value
      }
    }
    guard let offset = cursor.offsetSeconds(iso: true), cursor.atEnd
    else { return .invalid }
    return instant(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second,
      millis: millis, offsetSeconds: offset)
  }

  /// The one shape most logs use, `2024-03-10T23:59:59.123Z`, read at fixed offsets; nil
  /// for anything else (the general parser then decides, with the same rules).
  @inline(__always)
  static func parseCanonicalISO8601(_ text: UnsafeBufferPointer<UInt8>) -> TimestampResult? {
    guard text.count == 24, text[23] == UInt8(ascii: "Z"), text[19] == UInt8(ascii: "."),
      text[10] == UInt8(ascii: "T"), text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
      text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":")
    else { return nil }
    var bad: UInt8 = 0
    func digit(_ index: Int) -> Int {
      let value = text[index] &- UInt8(ascii: "0")
      bad |= value > 9 ? 1 : 0
      return Int(value)
    }
    let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
    let month = digit(5) * 10 + digit(6)
    let day = digit(8) * 10 + digit(9)
    let hour = digit(11) * 10 + digit(12)
    let minute = digit(14) * 10 + digit(15)
    let second = digit(17) * 10 + digit(18)
    let millis = digit(20) * 100 + digit(21) * 10 + digit(22)
    guard bad == 0 else { return nil }
    return instant(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second,
      millis: millis)
  }

  /// Parses `dd/Mon/yyyy:hh:mm:ss ±hhmm` (the offset may be missing: UTC).
  static func parseCLF(_ text: UnsafeBufferPointer<UInt8>) -> TimestampResult {
    var cursor = DigitCursor(text: text)
    guard let day = cursor.digits(2), cursor.skip(UInt8(ascii: "/")),
      let month = cursor.monthName(), cursor.skip(UInt8(ascii: "/")),
      let year = cursor.digits(4), cursor.skip(UInt8(ascii: ":")),
      let hour = cursor.digits(2), cursor.skip(UInt8(ascii: ":")),
      let minute = cursor.digits(2), cursor.skip(UInt8(ascii: ":")),
      let second = cursor.digits(2),
      let offset = cursor.offsetSeconds(iso: false), cursor.atEnd
    else { return .invalid }
    return instant(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second,
      millis: 0, offsetSeconds: offset)
  }

  /// Validates the fields and converts a local time with an offset to UTC milliseconds.
  static func instant(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millis: Int,
    offsetSeconds: Int = 0
  ) -> TimestampResult {
    guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
      (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
    else { return .invalid }
    var second = second
    var millis = millis
    if second == 60 {
      second = 59
      millis = 999
    }
    let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
    let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
    return ranged(seconds * 1000 + Int64(millis))
  }
}

/// A forward reader over the bytes of one timestamp.
struct DigitCursor {
  let text: UnsafeBufferPointer<UInt8>
  var index = 0

  var atEnd: Bool { index >= text.count }

  /// The next byte (0 at the end), advancing.
  mutating func next() -> UInt8 {
    guard index < text.count else { return 0 }
    defer { index += 1 }
    return text[index]
  }

  /// Consumes `byte` when it is next.
  mutating func skip(_ byte: UInt8) -> Bool {
    guard index < text.count, text[index] == byte else { return false }
    index += 1
    return true
  }

  /// Exactly `count` decimal digits as a number.
  mutating func digits(_ count: Int) -> Int? {
    guard index + count <= text.count else { return nil }
    var value = 0
    for offset in 0..<count {
      let byte = text[index + offset]
      guard TimestampParser.isDigit(byte) else { return nil }
      value = value * 10 + Int(byte &- UInt8(ascii: "0"))
    }
    index += count
    return value
  }

  /// One or more digits after a decimal point, truncated to milliseconds.
  mutating func fractionMillis() -> Int? {
    var value = 0
    var digitCount = 0
    while index < text.count, TimestampParser.isDigit(text[index]) {
      if digitCount < 3 { value = value * 10 + Int(text[index] &- UInt8(ascii: "0")) }
      digitCount += 1
      index += 1
    }
    guard digitCount > 0 else { return nil }
    for _ in digitCount..<max(digitCount, 3) { value *= 10 }
    return value
  }

  /// An English three-letter month abbreviation, any case, as 1...12.
  mutating func monthName() -> Int? {
    guard index + 3 <= text.count else { return nil }
    let key =
      (UInt32(text[index] | 0x20) << 16) | (UInt32(text[index + 1] | 0x20) << 8)
      | UInt32(text[index + 2] | 0x20)
    let month: Int
    switch key {
    case 0x6A_616E: month = 1  // jan
    case 0x66_6562: month = 2  // feb
    case 0x6D_6172: month = 3  // mar
    case 0x61_7072: month = 4  // apr
    case 0x6D_6179: month = 5  // may
    case 0x6A_756E: month = 6  // jun
    case 0x6A_756C: month = 7  // jul
    case 0x61_7567: month = 8  // aug
    case 0x73_6570: month = 9  // sep
    case 0x6F_6374: month = 10  // oct
    case 0x6E_6F76: month = 11  // nov
    case 0x64_6563: month = 12  // dec
    default: return nil
    }
    index += 3
    return month
  }

  /// An optional UTC offset in seconds east of UTC, optionally after one space: nothing
  /// (0), `±hhmm`, and for ISO 8601 (`iso`) also `Z`, `±hh` and `±hh:mm`. Returns
  /// nil when something else follows.
  mutating func offsetSeconds(iso: Bool) -> Int? {
    if atEnd { return 0 }
    let mark = index
    if iso && (text[index] == UInt8(ascii: "Z") || text[index] == UInt8(ascii: "z")) {
      index += 1
      return 0
    }
    if text[index] == 0x20 { index += 1 }
    let sign = next()
    guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), let hours = digits(2),
      hours <= 23
    else {
      index = mark
      return nil
    }
    var minutes = 0
    if !atEnd || !iso {
      if iso { _ = skip(UInt8(ascii: ":")) }
      guard let value = digits(2), value <= 59 else { return nil }
      minutes = value
    }
    let seconds = hours * 3600 + minutes * 60
    return sign == UInt8(ascii: "-") ? -seconds : seconds
  }
}
