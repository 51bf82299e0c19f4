import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Builds a ``SessionizedRun`` by hand: one session per call, events one second apart.
///
/// A step starting with `/` is a page view, `channel>Name` a contact on a channel, anything
/// else a track event.
struct RunBuilder {
  var tables = EventTables()
  var batch = SessionBatch()

  mutating func session(
    user: String?, anonymous: String = "anon", day: Int64, hour: Int64 = 12,
    steps: [String] = ["/home"], goals: UInt64 = 0
  ) {
    let start = day * 86_400_000 + hour * 3_600_000
    let anon = tables.ids.intern(anonymous)
    let userId = user.map { tables.ids.intern($0) } ?? 0
    let key = VisitorKey(id: userId != 0 ? userId : anon, isUser: userId != 0)
    let first = Int32(batch.events.count)
    var pageviews: Int32 = 0
    for (offset, step) in steps.enumerated() {
      var kind = EventKind.track
      var channel: UInt8 = 0
      var name = step
      if step.hasPrefix("/") {
        kind = .page
        pageviews += 1
      } else if let split = step.firstIndex(of: ">") {
        kind = .contact
        channel = UInt8(tables.channels.intern(String(step[..<split])))
        name = String(step[step.index(after: split)...])
      }
      batch.events.append(
        SessionEvent(
          Event(
            time: start + Int64(offset) * 1000, anonymousId: anon, userId: userId,
            name: tables.names.intern(name), channel: channel, kind: kind)))
    }
    batch.sessions.append(
      Session(
        visitor: key, user: userId, start: start, end: start + Int64(steps.count - 1) * 1000,
        firstEvent: first, eventCount: Int32(steps.count), pageviews: pageviews, goals: goals))
  }

  func build(goals: [GoalSpec] = []) -> SessionizedRun {
    SessionizedRun(tables: tables, goals: goals, batches: [batch])
  }
}

/// A deterministic pseudo-random generator (SplitMix64) for generated histories.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite struct ChurnStageTests {
  static var spec: ChurnSpec {
    var spec = ChurnSpec()
    spec.touchpoints = [
      .init(name: "cancel_page", page: "/account/cancel"),
      .init(name: "payment_failed", event: "Payment Failed"),
      .init(name: "complaint", event: "Complaint", channel: "call_center"),
    ]
    spec.paths = [
      .init(name: "cancel_journey", steps: ["/account", "/account/billing", "/account/cancel"])
    ]
    return spec
  }

  static let today: Int64 = 20_000  // 2024-10-04
  static var now: Int64 { today * 86_400_000 + 23 * 3_600_000 }

  /// 300 normal customers (a third of whom lapse), 20 churners, 20 decoys, over the last 90 days.
  ///
  /// Normal: visits on ~30 % of days. Churners: visit on ~60 % of days, go through the
  /// cancel journey and a call-centre complaint about 25 days ago, then one visit in the
  /// recent window at most and none in the last 10 days. Decoys: as active as churners all
  /// along, visit the cancel page once (10 days ago) and keep going.
  static func history() -> SessionizedRun {
    var generator = SplitMix(state: 42)
    var builder = RunBuilder()
    for n in 0..<300 {
      let start = today - 89 + Int64.random(in: 0..<40, using: &generator)
      // A third of the base lapses at a random day (known churners: "lapsed-"), so the
      // BG/NBD fit sees real dropout.
      let lapses = n % 3 == 0
      let end = lapses ? start + Int64.random(in: 5..<40, using: &generator) : today
      for day in start...end where Double.random(in: 0..<1, using: &generator) < 0.3 {
        builder.session(user: lapses ? "lapsed-\(n)" : "normal-\(n)", day: day)
      }
    }
    for n in 0..<20 {
      for day in (today - 89)...(today - 26) where Double.random(in: 0..<1, using: &generator) < 0.6
      {
        builder.session(user: "churner-\(n)", day: day, steps: ["/home", "/products"])
      }
      builder.session(
        user: "churner-\(n)", day: today - 25,
        steps: ["/home", "/account", "/account/billing", "/account/cancel", "/account/cancel"])
      builder.session(user: "churner-\(n)", day: today - 24, steps: ["call_center>Complaint"])
      if n % 2 == 0 { builder.session(user: "churner-\(n)", day: today - 12) }
    }
    for n in 0..<20 {
      for day in (today - 89)...today where Double.random(in: 0..<1, using: &generator) < 0.6 {
        builder.session(user: "decoy-\(n)", day: day, steps: ["/home", "/products"])
      }
      builder.session(user: "decoy-\(n)", day: today - 10, steps: ["/home", "/account/cancel"])
      builder.session(user: "decoy-\(n)", day: today - 1)
    }
    builder.session(user: nil, anonymous: "someone", day: today)
    return builder.build()
  }

  /// Runs the churn stage on `run` from `state` and leaves the folded state in `state`.
  static func churn(
    _ run: SessionizedRun, goals: [GoalSpec] = [], state: inout CustomerState,
    now: Int64 = Self.now
  ) throws -> ChurnReport {
    let stage = ChurnStage(spec: Self.spec, goals: goals, inputs: [], now: now)
    let output = try stage.run(ChurnStage.Input(run: run, state: state))
    state = output.state
    return output.report
  }

  @Test func churnersLandHighDecoysDoNot() throws {
    var state = CustomerState()
    let report = try Self.churn(Self.history(), state: &state)
    let rows = Dictionary(uniqueKeysWithValues: report.customers.map { ($0.userId, $0) })
    #expect(rows.count >= 330)
    for n in 0..<20 {
      let churner = try #require(rows["churner-\(n)"])
      #expect(churner.band == .high, "churner-\(n): \(churner.score) \(churner.reasons)")
      #expect(churner.touchpoints[0] == 2 && churner.touchpoints[2] == 1 && churner.paths[0] == 1)
      let decoy = try #require(rows["decoy-\(n)"])
      #expect(decoy.band == .low, "decoy-\(n): \(decoy.score) \(decoy.reasons)")
      #expect(decoy.touchpoints[0] == 1)
      #expect(decoy.reasons.contains("visited /account/cancel 1x"))
    }
    let normalHigh = report.customers.filter { $0.userId.hasPrefix("normal") && $0.band == .high }
    #expect(normalHigh.count <= 15, "normal customers in high band: \(normalHigh.count)")
    let model = try #require(report.summary.model)
    #expect(model.converged && model.customersFitted == report.customers.count)
    #expect(model.used && model.notUsedBecause == nil)
    #expect(report.summary.anonymousSessions == 1)

    let churner = try #require(rows["churner-1"])
    let reasons = churner.reasons.joined(separator: "; ")
    #expect(reasons.contains("sessions down 100 % vs baseline"))
    #expect(reasons.contains("visited /account/cancel 2x"))
    #expect(reasons.contains("call_center Complaint 1x"))
    #expect(reasons.contains("path cancel_journey 1x"))
    #expect(reasons.contains("P(alive) 0."))
  }

  @Test func csvFilesAreSortedAndComplete() throws {
    var state = CustomerState()
    let goals = [GoalSpec(name: "buy", event: "Buy")]
    let report = try Self.churn(Self.history(), goals: goals, state: &state)
    let files = ChurnTablesCSV.files(report, spec: Self.spec, goals: goals)
    #expect(files.map(\.name) == ["churn_signals.csv", "customers.csv"])
    let signals = files[0].text
      .split(separator: "\n").map(String.init)
    #expect(
      signals[0] == "user_id,score,band,reasons,last_seen,days_since_last,sessions_recent,"
        + "sessions_baseline,p_alive,cancel_page,payment_failed,complaint,cancel_journey")
    let scores = signals.dropFirst().compactMap { Double($0.split(separator: ",")[1]) }
    #expect(scores.count == files[0].rows)
    #expect(scores == scores.sorted(by: >))
    #expect(files[1].rows == report.customers.count)
    let customers = files[1].text.split(separator: "\n")
    #expect(customers[0].hasSuffix("goal_buy,score,band,reasons"))
    let again = try Self.churn(Self.history(), goals: goals, state: &state)
    #expect(again.customers.count == report.customers.count)
    let json = try JSONEncoder().encode(report.summary)
    let text = String(decoding: json, as: UTF8.self)
    #expect(text.contains("\"log_likelihood\"") && text.contains("\"bands\""))
  }

  @Test func withoutRepeatHistoryThereIsNoModel() throws {
    var builder = RunBuilder()
    builder.session(
      user: "u1", day: 100, steps: ["/account", "/account/billing", "/account/cancel"])
    var state = CustomerState()
    let report = try Self.churn(builder.build(), state: &state, now: 100 * 86_400_000 + 1)
    #expect(report.summary.model == nil)
    #expect(report.customers.first?.pAlive == nil)
    #expect(report.customers.first?.paths == [1])
    let json = String(decoding: try JSONEncoder().encode(report.summary), as: UTF8.self)
    #expect(json.contains("\"model\":null"))
  }
}
