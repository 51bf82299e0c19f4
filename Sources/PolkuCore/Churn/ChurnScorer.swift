#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A churn band, from the score and the spec's `bands` thresholds.
public enum ChurnBand: String, Sendable, CaseIterable {
  case high, medium, low
}

/// Everything the scorer knows about one customer; one row of `customers.csv`.
public struct CustomerFeatures: Sendable {
  public var userId: String
  public var firstSeen: Int64
  public var lastSeen: Int64
  /// Whole UTC days from the last active day to the run's day.
  public var daysSinceLast: Int
  public var activeDays: Int
  public var sessionsTotal: Int
  public var eventsTotal: Int
  /// Sessions in the recent window and in the baseline window just before it.
  public var sessionsRecent: Int
  public var sessionsBaseline: Int
  /// Days of the baseline window the customer was already known (rates use these).
  public var baselineDaysKnown: Int
  /// 1 - recent sessions per day / baseline sessions per day, at least 0; nil when the
  /// customer is too new for a baseline (fewer than 7 known baseline days) or had none.
  public var decline: Double?
  /// The BG/NBD input in days: x = active days after the first, t_x = first to last active
  /// day, T = first active day to the run's day.
  public var summary: RepeatSummary
  /// P(alive) from the fitted model; nil when no model was fitted.
  public var pAlive: Double?
  /// Expected active days in the next `recent_days` days; nil without a model.
  public var expectedActiveDays: Double?
  /// Hits per configured touchpoint and path in the signal horizon (recent + baseline).
  public var touchpoints: [Int]
  public var paths: [Int]
  /// Lifetime sessions per configured goal.
  public var goals: [Int]
  public var score: Double
  public var band: ChurnBand
  /// The signals that fired, with their values.
  public var reasons: [String]
}

/// Turns customer histories into churn features, a score in [0, 1], a band and reasons.
///
/// Signals, each in [0, 1], combined as a weighted mean with the spec's `weights`:
/// - decline: 1 - (sessions per day in the recent window) / (per day in the baseline);
/// - recency: `1 - exp(-days since last seen / the customer's mean gap)`, the mean gap being
///   the days known in the window over the active days in it (customer-relative: 12 days
///   away is alarming for a daily visitor, normal for a monthly one);
/// - P(alive): 1 - P(alive) from BG/NBD fitted on all customers' active-day histories (in
///   days); left out of the mean when fewer than 20 customers or no repeat activity, and
///   when the fit is not usable (``BGNBDFit/notUsableBecause``);
/// - touchpoints, paths: `1 - 0.5^n` for n hits in the signal horizon.
///
/// A reason is listed when the decline reaches `decline_threshold`, the recency signal
/// reaches 0.5 (and at least 2 days away), a touchpoint or path was hit, or P(alive) < 0.5.
/// With the default weights a touchpoint hit alone contributes at most 0.25, so an active
/// customer who looks at the cancel page stays out of the high band.
public struct ChurnScorer: Sendable {
  public var spec: ChurnSpec
  public var goals: [GoalSpec]
  /// Customers needed before a BG/NBD model is fitted.
  public static let minimumCustomersToFit = 20

  public init(spec: ChurnSpec, goals: [GoalSpec]) {
    self.spec = spec
    self.goals = goals
  }

  /// Every customer's features and score, in user-id order, and the model fitted (nil
  /// when too few customers to fit one; scores use it only when it is usable).
  public struct Scores: Sendable {
    public var customers: [CustomerFeatures]
    public var fit: BGNBDFit?
  }

  /// Scores every customer of `state` as of `now` (ms since the epoch), in user-id order.
  public func score(_ state: CustomerState, now: Int64) -> Scores {
    let today = UTCDate.day(ms: now)
    let summaries = state.customers.map {
      RepeatSummary(
        firstDay: $0.firstDay, lastDay: $0.lastDay, activeDays: $0.activeDays,
        end: max(today, $0.lastDay))
    }
    var fit: BGNBDFit?
    if summaries.count >= Self.minimumCustomersToFit,
      summaries.contains(where: { $0.frequency > 0 })
    {
      fit = BGNBD.fit(summaries)
    }
    // A fit at a limit of the model (or not converged) says nothing about P(alive).
    let model = fit.flatMap { $0.notUsableBecause == nil ? $0.model : nil }
    let touchSlots = spec.touchpoints.map { state.signalNames.firstIndex(of: $0.name) }
    let pathSlots = spec.paths.map { state.signalNames.firstIndex(of: $0.name) }
    let goalSlots = goals.map { state.goalNames.firstIndex(of: $0.name) }
    let recent = Int64(spec.recentDays)
    let baseline = Int64(spec.baselineDays)
    let w = spec.weights

    var rows: [CustomerFeatures] = []
    rows.reserveCapacity(state.customers.count)
    // Rows come out in user-id order (bytewise): order the slots first, not the rows.
    let order = utf8SortedIndices(state.customers.map(\.userId))
    for slot in order {
      let c = state.customers[slot]
      let summary = summaries[slot]
      var sessionsRecent = 0
      var sessionsBaseline = 0
      for d in c.days where d.day <= today {
        if d.day > today - recent {
          sessionsRecent += d.sessions
        } else if d.day > today - recent - baseline {
          sessionsBaseline += d.sessions
        }
      }
      let baselineFirst = max(c.firstDay, today - recent - baseline + 1)
      let baselineKnown = Int(max(0, min(baseline, today - recent - baselineFirst + 1)))
      var decline: Double?
      if baselineKnown >= min(spec.baselineDays, 7) && sessionsBaseline > 0 {
        let rate = Double(sessionsRecent) / Double(recent)
        let before = Double(sessionsBaseline) / Double(baselineKnown)
        decline = max(0, 1 - rate / before)
      }
      func hits(_ signal: Int?) -> Int {
        guard let signal else { return 0 }
        var total = 0
        for s in c.signalDays where s.signal == signal && s.day > today - recent - baseline {
          total += s.count
        }
        return total
      }
      let touch = touchSlots.map(hits)
      let path = pathSlots.map(hits)
      let pAlive = model?.probabilityAlive(summary)
      let daysSinceLast = Int(max(0, today - c.lastDay))

      // Mean days between active days while known in the window, at least 1.
      let observed = Double(max(1, min(Int64(state.windowDays), today - c.firstDay + 1)))
      let windowActive = c.days.filter {
        $0.day <= today && $0.day > today - Int64(state.windowDays)
      }.count
      let meanGap = max(1, observed / Double(max(1, windowActive)))
      let away = 1 - exp(-Double(daysSinceLast) / meanGap)
      let touchTotal = touch.reduce(0, +)
      let pathTotal = path.reduce(0, +)
      var weighted =
        w.decline * (decline ?? 0)
        + w.recency * away
        + w.touchpoints * (1 - pow(0.5, Double(touchTotal)))
        + w.paths * (1 - pow(0.5, Double(pathTotal)))
      var weightSum = w.decline + w.recency + w.touchpoints + w.paths
      if let pAlive {
        weighted += w.pAlive * (1 - pAlive)
        weightSum += w.pAlive
      }
      let score = weightSum > 0 ? min(1, max(0, weighted / weightSum)) : 0
      let band: ChurnBand =
        score >= spec.bands.high ? .high : score >= spec.bands.medium ? .medium : .low

      var reasons: [String] = []
      if let decline, decline >= spec.declineThreshold {
        reasons.append("sessions down \(Int((decline * 100).rounded())) % vs baseline")
      }
      if away >= 0.5 && daysSinceLast >= 2 {
        reasons.append(
          "last seen \(daysSinceLast) days ago (usually every \(formatFixed(meanGap, digits: 1)) days)"
        )
      }
      for (index, count) in touch.enumerated() where count > 0 {
        reasons.append("\(label(spec.touchpoints[index])) \(count)x")
      }
      for (index, count) in path.enumerated() where count > 0 {
        reasons.append("path \(spec.paths[index].name) \(count)x")
      }
      if let pAlive, pAlive < 0.5 { reasons.append("P(alive) \(formatFixed(pAlive, digits: 2))") }

      rows.append(
        CustomerFeatures(
          userId: c.userId, firstSeen: c.firstSeen, lastSeen: c.lastSeen,
          daysSinceLast: daysSinceLast, activeDays: c.activeDays, sessionsTotal: c.sessions,
          eventsTotal: c.events, sessionsRecent: sessionsRecent,
          sessionsBaseline: sessionsBaseline, baselineDaysKnown: baselineKnown,
          decline: decline, summary: summary, pAlive: pAlive,
          expectedActiveDays: model?.expectedTransactions(in: Double(recent), given: summary),
          touchpoints: touch, paths: path,
          goals: goalSlots.map { slot in slot.map { $0 < c.goals.count ? c.goals[$0] : 0 } ?? 0 },
          score: score, band: band, reasons: reasons))
    }
    return Scores(customers: rows, fit: fit)
  }

  private func label(_ touchpoint: ChurnSpec.Touchpoint) -> String {
    if let page = touchpoint.page { return "visited \(page)" }
    if let event = touchpoint.event {
      return touchpoint.channel.map { "\($0) \(event)" } ?? event
    }
    return "contact on \(touchpoint.channel ?? touchpoint.name)"
  }
}
