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
}
