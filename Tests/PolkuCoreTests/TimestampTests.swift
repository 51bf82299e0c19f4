import Testing

@testable import PolkuCore

@Suite struct TimestampTests {
  /// Expected values computed independently with Python's `datetime`.
  static let valid: [(String, TimestampFormat, Int64)] = [
    ("2024-03-10T23:59:59Z", .iso8601, 1_710_115_199_000),
    ("2024-03-10T23:59:59.123Z", .iso8601, 1_710_115_199_123),
    ("2024-03-10T23:59:59.1Z", .iso8601, 1_710_115_199_100),
    ("2024-03-10T23:59:59.123456789Z", .iso8601, 1_710_115_199_123),
    ("2024-03-10T23:59:59.999999Z", .iso8601, 1_710_115_199_999),
    ("2024-03-10T23:59:59,5Z", .iso8601, 1_710_115_199_500),
    ("2024-03-10T23:59:59+02:00", .iso8601, 1_710_107_999_000),
    ("2024-03-10T23:59:59-0700", .iso8601, 1_710_140_399_000),
    ("2024-03-10T23:59:59+05", .iso8601, 1_710_097_199_000),
    ("2024-12-31T23:59:59+05:30", .iso8601, 1_735_669_799_000),
    ("2024-03-10t23:59:59z", .iso8601, 1_710_115_199_000),
    ("2024-03-10 23:59:59", .iso8601, 1_710_115_199_000),
    ("2024-03-10 23:59:59 +0000", .iso8601, 1_710_115_199_000),
    ("2024-03-10T23:59:59", .iso8601, 1_710_115_199_000),
    ("2024-03-10T23:59Z", .iso8601, 1_710_115_140_000),
    ("2024-03-10", .iso8601, 1_710_028_800_000),
    ("  2024-03-10T23:59:59Z\t", .iso8601, 1_710_115_199_000),
    ("2024-02-29T12:00:00Z", .iso8601, 1_709_208_000_000),
    ("2000-02-29", .iso8601, 951_782_400_000),
    ("2016-12-31T23:59:60Z", .iso8601, 1_483_228_799_999),
    ("1970-01-01T00:00:00Z", .iso8601, 0),
    ("1969-12-31T23:30:00-01:00", .iso8601, 1_800_000),
    ("2100-12-31T23:59:59.999Z", .iso8601, 4_133_980_799_999),
    ("10/Oct/2000:13:55:36 -0700", .clf, 971_211_336_000),
    ("10/oct/2000:13:55:36 -0700", .clf, 971_211_336_000),
    ("01/Jul/1995:00:00:01 -0400", .clf, 804_571_201_000),
    ("10/Oct/2000:20:55:36", .clf, 971_211_336_000),
    ("1700000000", .epochSeconds, 1_700_000_000_000),
    ("1700000000.5", .epochSeconds, 1_700_000_000_500),
    ("1700000000.123999", .epochSeconds, 1_700_000_000_123),
    ("1.7e9", .epochSeconds, 1_700_000_000_000),
    ("1.7E+9", .epochSeconds, 1_700_000_000_000),
    ("17e8", .epochSeconds, 1_700_000_000_000),
    ("0", .epochSeconds, 0),
    ("1700000000123", .epochMillis, 1_700_000_000_123),
    ("1700000000", .epochMillis, 1_700_000_000),
    ("1700000000123.9", .epochMillis, 1_700_000_000_123),
    // auto
    ("2024-03-10T23:59:59.123+00:00", .auto, 1_710_115_199_123),
    ("2024-03-10", .auto, 1_710_028_800_000),
    ("10/Oct/2000:13:55:36 -0700", .auto, 971_211_336_000),
    ("1700000000", .auto, 1_700_000_000_000),
    ("1700000000.25", .auto, 1_700_000_000_250),
    ("1.7e9", .auto, 1_700_000_000_000),
    ("1700000000123", .auto, 1_700_000_000_123),
    ("100000000000", .auto, 100_000_000_000),
    ("1.7e12", .auto, 1_700_000_000_000),
    ("0.0000000000000000000000001", .auto, 0),
  ]

  @Test(arguments: valid) func parsesToExactMillis(
    _ text: String, _ format: TimestampFormat, _ millis: Int64
  ) {
    #expect(ParseHarness.timestamp(text, format) == .millis(millis))
  }

  static let invalid: [(String, TimestampFormat)] = [
    ("", .auto), ("   ", .auto), ("abc", .auto), ("abc", .iso8601), ("null", .epochSeconds),
    ("2024-13-01", .iso8601), ("2024-00-10", .iso8601), ("2024-02-30", .iso8601),
    ("2023-02-29", .iso8601), ("1900-02-29", .iso8601), ("2024-04-31", .iso8601),
    ("2024-03-10T24:00:00Z", .iso8601), ("2024-03-10T23:60:00Z", .iso8601),
    ("2024-03-10T23:59:61Z", .iso8601), ("2024-03-10T23:59:59+24:00", .iso8601),
    ("2024-03-10T23:59:59+02:60", .iso8601), ("2024-03-10T23:59:59.Z", .iso8601),
    ("2024-03-10T23:59:59Zjunk", .iso8601), ("2024-3-10", .iso8601), ("2024-03-10T", .iso8601),
    ("2024-03-10T23:59:59+0", .iso8601), ("2024-03-10X23:59:59Z", .iso8601),
    ("20240310T235959Z", .iso8601), ("1700000000", .iso8601),
    ("10/Foo/2000:13:55:36 -0700", .clf), ("32/Oct/2000:13:55:36 -0700", .clf),
    ("10/Oct/2000 13:55:36 -0700", .clf), ("10/Oct/2000:13:55:36 -07", .clf),
    ("2024-03-10T23:59:59Z", .clf), ("10/Oct/2000:13:55:36 -0700", .iso8601),
    ("1700000000.", .epochSeconds), ("1e", .epochSeconds), ("--1", .epochSeconds),
    ("+1700000000", .epochSeconds), ("0x10", .epochSeconds), ("1700000000 extra", .auto),
    (".5", .epochSeconds), ("2024-03-10", .epochSeconds), ("1,5", .epochMillis),
  ]

  @Test(arguments: invalid) func rejectsGarbage(_ text: String, _ format: TimestampFormat) {
    #expect(ParseHarness.timestamp(text, format) == .invalid)
  }

  static let outOfRange: [(String, TimestampFormat)] = [
    ("9999-12-31T23:59:59Z", .iso8601), ("9999-01-01", .auto), ("0000-01-01", .iso8601),
    ("1969-12-31T23:59:59Z", .iso8601), ("1970-01-01T00:30:00+01:00", .iso8601),
    ("2101-01-01T00:00:00Z", .iso8601), ("01/Jan/1960:00:00:00 +0000", .clf),
    ("-1", .epochSeconds), ("-1700000000", .auto), ("1700000000123", .epochSeconds),
    ("99999999999", .auto), ("1e400", .epochSeconds), ("1e99999999999999999999", .auto),
    ("99999999999999999999999999999999", .epochMillis), ("9223372036854775807", .epochSeconds),
    ("9223372036854775808", .epochMillis), ("123456789012345678901234567890e10", .auto),
  ]

  @Test(arguments: outOfRange) func rejectsInstantsOutsideTheRange(
    _ text: String, _ format: TimestampFormat
  ) {
    #expect(ParseHarness.timestamp(text, format) == .outOfRange)
  }

  @Test func formatsWithAndWithoutFraction() {
    #expect(TimestampParser.formatISO8601(1_710_115_199_123) == "2024-03-10T23:59:59.123Z")
    #expect(TimestampParser.formatISO8601Seconds(1_710_115_199_123) == "2024-03-10T23:59:59Z")
    #expect(TimestampParser.formatISO8601(0) == "1970-01-01T00:00:00.000Z")
    #expect(TimestampParser.formatISO8601(951_782_400_007) == "2000-02-29T00:00:00.007Z")
    #expect(TimestampParser.formatISO8601(-1) == "1969-12-31T23:59:59.999Z")
    #expect(TimestampParser.formatISO8601(4_133_980_799_999) == "2100-12-31T23:59:59.999Z")
    // Extreme values format without trapping.
    #expect(!TimestampParser.formatISO8601(.max).isEmpty)
    #expect(TimestampParser.formatISO8601(.min).hasPrefix("-"))
  }

  /// The canonical shape (`…T…:…:….mmmZ`, 24 bytes) is read at fixed offsets; the same
  /// text with a space for the `T` takes the general parser. Both must agree, on valid
  /// and invalid fields alike.
  @Test func canonicalShapeAgreesWithTheGeneralParser() {
    var texts = [
      "2024-13-10T23:59:59.123Z", "2024-02-30T00:00:00.000Z", "2023-02-29T00:00:00.000Z",
      "2024-03-10T24:00:00.000Z", "2024-03-10T23:60:00.000Z", "2024-03-10T23:59:61.000Z",
      "2016-12-31T23:59:60.500Z", "2024-03-1xT23:59:59.123Z", "2024-03-10T23:59:59.12xZ",
      "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "2024-00-10T23:59:59.123Z",
      "2024-03-00T23:59:59.123Z", "2024-03-10T2:159:59.123Z", "2024-03-10T23:59:5/.123Z",
    ]
    for millis in stride(from: Int64(0), to: TimestampParser.endMillis, by: 86_399_999_997) {
      texts.append(TimestampParser.formatISO8601(millis))
    }
    for text in texts {
      #expect(text.utf8.count == 24)
      let general = String(text.map { $0 == "T" ? " " : $0 })
      let fast = ParseHarness.timestamp(text, .iso8601)
      #expect(fast == ParseHarness.timestamp(general, .iso8601), "\(text)")
      #expect(fast == ParseHarness.timestamp(text, .auto), "\(text)")
    }
    #expect(
      ParseHarness.timestamp("2024-03-10T23:59:59.123Z", .iso8601) == .millis(1_710_115_199_123))
  }

  @Test func formatAndParseRoundTripEveryDayOfTheRange() {
    let lastDay = TimestampParser.endMillis / 86_400_000
    for day in stride(from: Int64(0), to: lastDay, by: 1) {
      let millis = day * 86_400_000 + (day * 7_919_321) % 86_400_000
      let text = TimestampParser.formatISO8601(millis)
      guard ParseHarness.timestamp(text, .iso8601) == .millis(millis) else {
        Issue.record("round trip failed for \(millis): \(text)")
        return
      }
    }
    #expect(lastDay == 47_847)
  }

  @Test func civilConversionsAgreeDayByDay() {
    var (year, month, day): (Int64, Int64, Int64) = (1970, 1, 1)
    for days in Int64(0)..<47_847 {
      let civil = TimestampParser.civilFromDays(days)
      #expect(civil == (year, month, day))
      #expect(TimestampParser.daysFromCivil(year: year, month: month, day: day) == days)
      day += 1
      if day > Int64(TimestampParser.daysInMonth(year: Int(year), month: Int(month))) {
        day = 1
        month += 1
        if month > 12 {
          month = 1
          year += 1
        }
      }
    }
    #expect(year == 2101 && month == 1 && day == 1)
  }

  @Test func formatNamesAreTheConfigValues() {
    #expect(
      TimestampFormat.allCases.map(\.rawValue) == [
        "auto", "iso8601", "epoch_seconds", "epoch_millis", "epoch_micros", "clf",
      ])
  }
}

@Suite struct EpochMicrosTimestampTests {
  @Test(arguments: [
    ("1730419200123456", TimestampResult.millis(1_730_419_200_123)),
    ("1730419200123999", .millis(1_730_419_200_123)),
    (" 1730419200000000 ", .millis(1_730_419_200_000)),
    ("1.7304192e15", .millis(1_730_419_200_000)),
    ("999", .millis(0)),
    ("0", .millis(0)),
    ("-1730419200123456", .outOfRange),
    ("4133980800000000", .outOfRange),
    ("99999999999999999999999", .outOfRange),
    ("1730419200123456x", .invalid),
    ("", .invalid),
  ])
  func microsecondsAreTruncatedToMilliseconds(text: String, expected: TimestampResult) {
    #expect(ParseHarness.timestamp(text, .epochMicros) == expected)
  }

  @Test func epochNumbersGivenAsJSONStringsParseLikeNumbers() {
    // BigQuery exports INT64 as a JSON string; the reader hands the string's bytes over.
    var parser = JSONLinesParser(paths: [.timestamp: "t", .userId: "u"])
    for (line, format, millis) in [
      (#"{"t":"1730419200123456","u":"x"}"#, TimestampFormat.epochMicros, 1_730_419_200_123),
      (#"{"t":1730419200123456,"u":"x"}"#, .epochMicros, 1_730_419_200_123),
      (#"{"t":"1730419200","u":"x"}"#, .epochSeconds, 1_730_419_200_000),
      (#"{"t":"1730419200123","u":"x"}"#, .epochMillis, 1_730_419_200_123),
      (#"{"t":"1730419200123","u":"x"}"#, .auto, 1_730_419_200_123),
    ] as [(String, TimestampFormat, Int64)] {
      let (outcome, fields) = ParseHarness.run(&parser, line)
      #expect(outcome == .record)
      let stamp = fields.withValue(.timestamp) { TimestampParser.parse($0, format: format) }
      #expect(stamp == .millis(millis), "\(line) as \(format)")
    }
  }
}
