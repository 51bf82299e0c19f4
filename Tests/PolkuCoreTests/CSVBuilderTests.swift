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
}
