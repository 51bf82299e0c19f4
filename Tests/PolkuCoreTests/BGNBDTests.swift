import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The CDNOW files of the shared real data.
extension RealData {
  /// Whether the CDNOW files are present; tests that need them are disabled otherwise.
  static var hasCDNOW: Bool { path("cdnow/cdnow_customers_summary.csv") != nil }

  static func lines(_ relative: String) throws -> [Substring] {
    let path = (root ?? "") + "/" + relative
    guard let handle = fopen(path, "rb") else {
      throw PolkuError(.noInput, "cannot open \(path)")
    }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = fread(&buffer, 1, buffer.count, handle)
      if count == 0 { break }
      bytes.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
  }

  /// `cdnow_customers_summary.csv`: ID → (frequency, recency, T) in weeks.
  static func cdnowSummary() throws -> [(id: Int, summary: RepeatSummary)] {
    try lines("cdnow/cdnow_customers_summary.csv").dropFirst().map { line in
      let cells = line.split(separator: ",")
      guard cells.count == 4, let id = Int(cells[0]), let x = Double(cells[1]),
        let tx = Double(cells[2]), let age = Double(cells[3])
      else { throw PolkuError(.dataQuality, "bad CDNOW summary line \(line)") }
      return (id, RepeatSummary(frequency: x, recency: tx, age: age))
    }
  }
}

@Suite struct BGNBDTests {
  /// The paper's estimates (Fader, Hardie and Lee 2005, section 4).
  static let published = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)

  // Disabled (not passed) when ../shared/realdata/cdnow is absent.
  @Test(.enabled(if: RealData.hasCDNOW, "needs ../shared/realdata/cdnow"))
  func fitReproducesPaperOnCDNOW() throws {
    let data = try RealData.cdnowSummary().map(\.summary)
    #expect(data.count == 2357)
    let fit = try #require(BGNBD.fit(data))
    #expect(fit.converged)
    #expect(fit.notUsableBecause == nil, "\(fit.notUsableBecause ?? "")")
    #expect(fit.customers == 2357)
    #expect(abs(fit.model.r - 0.243) < 0.0005)
    #expect(abs(fit.model.alpha - 4.414) < 0.005)
    #expect(abs(fit.model.a - 0.793) < 0.0005)
    #expect(abs(fit.model.b - 2.426) < 0.005)
    #expect(abs(fit.logLikelihood - -9582.4) <= 0.1)
    // The grouped likelihood used by the fit equals the plain per-customer sum.
    #expect(abs(fit.model.logLikelihood(data) - fit.logLikelihood) < 1e-6)
  }

  @Test(.enabled(if: RealData.hasCDNOW, "needs ../shared/realdata/cdnow"))
  func probabilityAliveMatchesClosedForm() throws {
    let data = try RealData.cdnowSummary()
    let fit = try #require(BGNBD.fit(data.map(\.summary)))
    let m = Self.published
    for id in [1, 2, 3, 18, 1000] {
      let s = try #require(data.first { $0.id == id }?.summary)
      // Written out independently: 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x)).
      let expected =
        s.frequency == 0
        ? 1.0
        : 1
          / (1 + m.a / (m.b + s.frequency - 1)
            * pow((m.alpha + s.age) / (m.alpha + s.recency), m.r + s.frequency))
      #expect(abs(m.probabilityAlive(s) - expected) < 1e-12)
      #expect(abs(fit.model.probabilityAlive(s) - expected) < 2e-3)
    }
    // Customer 1: x = 2, t_x = 30.43, T = 38.86 weeks.
    let first = try #require(data.first { $0.id == 1 }?.summary)
    #expect(first == RepeatSummary(frequency: 2, recency: 30.43, age: 38.86))
  }

  @Test func expectedTransactionsTendsToAliveRate() {
    // For a short horizon, E[Y(t)] ≈ t · P(alive) · E[λ | alive] = t · P(alive) (r + x)/(alpha + T).
    let m = Self.published
    for s in [
      RepeatSummary(frequency: 0, recency: 0, age: 38.86),
      RepeatSummary(frequency: 2, recency: 30.43, age: 38.86),
      RepeatSummary(frequency: 7, recency: 35, age: 38),
    ] {
      let t = 1e-4
      let limit = t * m.probabilityAlive(s) * (m.r + s.frequency) / (m.alpha + s.age)
      #expect(abs(m.expectedTransactions(in: t, given: s) / limit - 1) < 1e-3)
      let year = m.expectedTransactions(in: 52, given: s)
      #expect(year > 0 && year < 52 * (m.r + s.frequency) / (m.alpha + s.age) * 1.0001)
    }
  }

  @Test(.enabled(if: RealData.hasCDNOW, "needs ../shared/realdata/cdnow"))
  func summariserReproducesCDNOWSummary() throws {
    // Fixed width: master_id sample_id yyyymmdd n_cds dollars.
    var days: [Int: [Int64]] = [:]
    for line in try RealData.lines("cdnow/CDNOW_sample.txt") {
      let cells = line.split(separator: " ")
      guard cells.count == 5, let id = Int(cells[1]), cells[2].count == 8,
        let date = Int64(cells[2])
      else { throw PolkuError(.dataQuality, "bad CDNOW line \(line)") }
      let day = UTCDate.day(year: date / 10000, month: date / 100 % 100, day: date % 100)
      days[id, default: []].append(day)
    }
    let end = UTCDate.day(year: 1997, month: 9, day: 30)
    let expected = try RealData.cdnowSummary()
    #expect(days.count == expected.count)
    var mismatches: [Int] = []
    for (id, summary) in expected {
      guard
        let weeks = RepeatSummary.summarize(days: days[id] ?? [], through: end)?
          .scaled(by: 1.0 / 7)
      else {
        mismatches.append(id)
        continue
      }
      if weeks.frequency != summary.frequency || abs(weeks.recency - summary.recency) > 0.00501
        || abs(weeks.age - summary.age) > 0.00501
      {
        mismatches.append(id)
      }
    }
    #expect(mismatches.isEmpty, "customers whose summary differs: \(mismatches.prefix(10))")
  }

  @Test func summariserCountsDistinctDaysUpToEnd() {
    let s = RepeatSummary.summarize(days: [10, 12, 10, 15, 40], through: 20)
    #expect(s == RepeatSummary(frequency: 2, recency: 5, age: 10))
    #expect(RepeatSummary.summarize(days: [30], through: 20) == nil)
    #expect(
      RepeatSummary.summarize(days: [20], through: 20)
        == RepeatSummary(frequency: 0, recency: 0, age: 0))
  }

  @Test func isoDatesRoundTrip() {
    #expect(UTCDate.isoDate(day: 0) == "1970-01-01")
    #expect(UTCDate.day(year: 1997, month: 9, day: 30) == 10134)
    #expect(
      TimestampParser.formatISO8601(1_700_000_000_123) == "2023-11-14T22:13:20.123Z")
    #expect(UTCDate.parseTimestamp("2023-11-14T22:13:20.123Z") == 1_700_000_000_123)
    #expect(UTCDate.parseTimestamp("2023-11-14T22:13:20Z") == 1_700_000_000_000)
    #expect(UTCDate.day(ms: -1) == -1)
    for day in stride(from: Int64(-800), through: 80_000, by: 37) {
      #expect(UTCDate.parseDate(Array(UTCDate.isoDate(day: day).utf8)) == day)
    }
  }

  /// Customers who never leave and all visit at one rate: the likelihood's maximum is the
  /// no-dropout, no-heterogeneity limit (a → 0, r and alpha → ∞), where P(alive) is 1 for
  /// everyone whatever the history. Such a fit is reported and not used.
  @Test func aFitAtTheNoDropoutLimitIsNotUsed() throws {
    var data: [RepeatSummary] = []
    for customer in 0..<300 {
      // Observed 5 to 14 days, active every day of it.
      let days = Double(5 + customer % 10)
      data.append(RepeatSummary(frequency: days, recency: days, age: days))
    }
    let fit = try #require(BGNBD.fit(data))
    let why = try #require(fit.notUsableBecause)
    #expect(why.contains("ran off to a limit") && why.contains("a = "), "\(why)")
    #expect(why.contains("no customer seems to drop out"), "\(why)")
    #expect(!BGNBDFit.usableRange.contains(fit.model.a))

    // The scorer fits the same data and leaves P(alive) out of every score.
    var state = CustomerState()
    let day: Int64 = 20_400
    for (index, summary) in data.enumerated() {
      let first = day - Int64(summary.age)
      var customer = CustomerHistory(
        userId: "u-\(index)", firstSeen: first * 86_400_000, lastSeen: day * 86_400_000)
      customer.days = (first...day).map { DayActivity(day: $0, sessions: 1, events: 3) }
      customer.activeDays = customer.days.count
      customer.sessions = customer.days.count
      customer.events = 3 * customer.days.count
      state.customers.append(customer)
    }
    let scores = ChurnScorer(spec: ChurnSpec(), goals: []).score(state, now: day * 86_400_000)
    #expect(scores.fit?.notUsableBecause != nil)
    #expect(scores.customers.allSatisfy { $0.pAlive == nil && $0.expectedActiveDays == nil })
    #expect(!scores.customers.contains { $0.reasons.contains { $0.contains("P(alive)") } })
  }

  @Test func parametersAreNamedInTwoDigits() {
    #expect(BGNBDFit.scientific(1_561_159_004.3) == "1.6e+09")
    #expect(BGNBDFit.scientific(2.1353e-10) == "2.1e-10")
    #expect(BGNBDFit.scientific(99_600) == "1.0e+05")
    #expect(BGNBDFit.scientific(0.243) == "2.4e-01")
  }
}
