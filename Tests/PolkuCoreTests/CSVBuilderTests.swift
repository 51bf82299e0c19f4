import Testing

@testable import PolkuCore

@Suite struct CSVBuilderTests {
  @Test func quotesOnlyWhenNeeded() {
    var csv = CSVBuilder(header: ["a", "b"])
    csv.cell("plain")
    csv.cell("has,comma \"and\" quotes\nnewline")
    csv.endRow()
    csv.cell(Int64(-42))
    csv.cell(3.14159, digits: 2)
    csv.endRow()
    let text = String(decoding: csv.bytes, as: UTF8.self)
    #expect(text == "a,b\nplain,\"has,comma \"\"and\"\" quotes\nnewline\"\n-42,3.14\n")
    #expect(csv.rows == 2)
  }

  /// Joined cells write the bytes of the joined string, quoted when any part needs it.
  @Test(arguments: [
    [], ["/a"], ["(start)", "/a", "Signed Up"], ["/a", "/b,c"], ["Say \"hi\"", "/a"],
    ["/ä", "/pricing-and-plans-for-teams"],
  ])
  func joinedCellsMatchTheJoinedString(parts: [String]) {
    var joined = CSVBuilder(reservingCapacity: 64)
    joined.cell(1)
    joined.cell(joining: parts, separator: " > ")
    joined.emptyCell()
    var reference = CSVBuilder(reservingCapacity: 64)
    reference.cell(1)
    reference.cell(parts.joined(separator: " > "))
    reference.emptyCell()
    #expect(joined.bytes == reference.bytes)
  }

  @Test(arguments: [
    (0.5, 0, "1"), (2.345, 2, "2.35"), (-0.001, 2, "0.00"), (1e-9, 3, "0.000"),
    (12.0, 1, "12.0"), (-1.25, 1, "-1.3"),
  ])
  func formatsFixed(value: Double, digits: Int, expected: String) {
    #expect(formatFixed(value, digits: digits) == expected)
  }

  @Test(arguments: [
    (0.5, 0, "1"), (2.345, 2, "2.35"), (-0.001, 2, "0.00"), (1e-9, 3, "0.000"),
    (12.0, 1, "12.0"), (-1.25, 1, "-1.3"), (0.0105, 4, "0.0105"), (-7.00004, 4, "-7.0000"),
    (123_456.789, 4, "123456.7890"), (.nan, 2, ""), (-.infinity, 4, ""), (1e300, 2, "1e+300"),
  ])
  func fixedCellsMatchFormatFixed(value: Double, digits: Int, expected: String) {
    var csv = CSVBuilder(reservingCapacity: 64)
    csv.cell("x")
    csv.cell(value, digits: digits)
    #expect(String(decoding: csv.bytes, as: UTF8.self) == "x," + expected)
    #expect(formatFixed(value, digits: digits) == expected)
  }

  @Test func timestampCellsReadBackAsTheirInstant() {
    // Checked against the independent `UTCDate.parseTimestamp`, from 400 days before the
    // epoch to the last second of year 9999.
    var ms: Int64 = -86_400_000 * 400
    while ms < 253_402_300_799_000 {
      var csv = CSVBuilder(reservingCapacity: 64)
      csv.timestampCell(ms, milliseconds: false)
      csv.timestampCell(ms)
      let cells = String(decoding: csv.bytes, as: UTF8.self).split(separator: ",")
      #expect(cells.count == 2)
      #expect(cells.first?.utf8.count == 20)
      #expect(cells.last?.utf8.count == 24)
      // Without milliseconds the fraction is dropped: the start of the instant's second.
      let second = ms - ((ms % 1000) + 1000) % 1000
      #expect(cells.first.flatMap { UTCDate.parseTimestamp(String($0)) } == second)
      #expect(cells.last.flatMap { UTCDate.parseTimestamp(String($0)) } == ms)
      ms += 7_919_000_003
    }
  }

  @Test func quotesFollowTheBytesAtEveryLengthAndPosition() {
    // The quote test reads 16, 8 or 1 bytes at a time, with overlapping last reads:
    // every special byte at every position of values of 0-40 bytes, against the rule.
    for length in 0...40 {
      let plain = [UInt8](repeating: UInt8(ascii: "a"), count: length)
      plain.withUnsafeBufferPointer { #expect(!CSVBuilder.needsQuotes($0), "\(length)") }
      for special in [UInt8(ascii: ","), UInt8(ascii: "\""), 0x0D, 0x0A] {
        for position in 0..<length {
          var value = plain
          value[position] = special
          value.withUnsafeBufferPointer {
            #expect(CSVBuilder.needsQuotes($0), "\(special) at \(position) of \(length)")
          }
        }
      }
    }
    // Bytes next to the special ones in value, or one bit away, do not count.
    let near = [0x2B, 0x2D, 0x21, 0x23, 0x0C, 0x0E, 0x09, 0x0B, 0xAC, 0xA2, 0x8A, 0x8D]
    for length in [7, 8, 15, 16, 17, 33] {
      for byte in near {
        let value = [UInt8](repeating: UInt8(byte), count: length)
        value.withUnsafeBufferPointer { #expect(!CSVBuilder.needsQuotes($0), "\(byte)") }
      }
    }
  }

  @Test func hexCellsAreSixteenLowerCaseDigits() {
    var values: [UInt64] = [0, 1, 9, 10, 15, 16, 0xABCD_EF01_2345_6789, .max, 1 << 63]
    var x: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<200 {
      x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      values.append(x)
    }
    for value in values {
      var csv = CSVBuilder(reservingCapacity: 64)
      csv.hexCell(value)
      let hex = String(value, radix: 16)
      let expected = String(repeating: "0", count: 16 - hex.count) + hex
      #expect(String(decoding: csv.bytes, as: UTF8.self) == expected)
    }
  }

  @Test func timestampCellsInOneBuilderMatchTheFormatter() {
    // One builder keeps the last day's date: runs on one day, steps back and forth across
    // midnight, New Year and the epoch, and years outside 0...9999 (the slow path).
    var stamps: [Int64] = []
    let newYear: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
    for base: Int64 in [newYear, 0, 86_400_000 * 3] {
      for step: Int64 in [-86_400_001, -1, 0, 1, 999, 1000, 59_999, 3_600_000, 86_399_999] {
        stamps.append(base + step)
        stamps.append(base - step)
      }
    }
    stamps += [-62_167_219_200_001, 253_402_300_800_000, newYear, 253_402_300_799_999, 5]
    var csv = CSVBuilder(reservingCapacity: 64)
    for stamp in stamps { csv.timestampCell(stamp) }
    let cells = String(decoding: csv.bytes, as: UTF8.self).split(separator: ",").map(String.init)
    #expect(cells == stamps.map { TimestampParser.formatISO8601($0) })
  }
}
