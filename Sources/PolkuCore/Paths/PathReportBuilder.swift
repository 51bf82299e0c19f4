/// Turns merged ``PathPartial`` counts into the tables (as values) and the summary.
///
/// Every ordering is total: ties on counts are broken by length and then by the steps'
/// labels, compared through ``ranks`` (a step's position among all labels, sorted by their
/// UTF-8 bytes), so the output does not depend on interning order.
struct PathReportBuilder {
  let miner: PathMiner
  var counts: PathPartial
  /// For each step id, its rank among the labels of all steps seen (-1 when unseen).
  var ranks: [Int32]
  /// The label of each step seen.
  var labels: [UInt32: String] = [:]
  var tables: PathTables
  var summary = PathSummary()

  init(miner: PathMiner, counts: PathPartial) {
    self.miner = miner
    self.counts = counts
    tables = PathTables(goalNames: miner.goalNames)
    let alphabet = miner.alphabet
    var seen = [Bool](repeating: false, count: alphabet.stepLimit + 1)
    var used: [UInt32] = []
    func mark(_ step: UInt32) {
      if Int(step) < seen.count && !seen[Int(step)] {
        seen[Int(step)] = true
        used.append(step)
      }
    }
    for step in counts.entries.keys { mark(step) }
    for id in 0..<counts.grams.count where counts.grams.length(id) == 2 {
      for step in counts.grams[id] { mark(step) }
    }
    for step in counts.sequences.items { mark(step) }
    var texts: [(step: UInt32, text: String)] = used.map { ($0, alphabet.label(of: $0)) }
    texts.sort { $0.text.utf8.lexicographicallyPrecedes($1.text.utf8) }
    var ranks = [Int32](repeating: -1, count: seen.count)
    var labels: [UInt32: String] = [:]
    for (rank, entry) in texts.enumerated() {
      ranks[Int(entry.step)] = Int32(rank)
      labels[entry.step] = entry.text
    }
    self.ranks = ranks
    self.labels = labels
    summary.sessions = counts.sessions
    summary.sessionsWithSteps = counts.sessionsWithSteps
    summary.distinctSteps = used.count
    summary.stepLabel = alphabet.byChannel ? "channel_name" : "name"
  }

  /// The label of `step`, including the special nodes.
  func label(_ step: UInt32) -> String {
    switch step {
    case PathCounter.startMarker: "(start)"
    case Node.exit: "(exit)"
    case Node.other: "(other)"
    default: labels[step] ?? miner.alphabet.label(of: step)
    }
  }

  /// The sort rank of `step`: `(start)` first, `(exit)` and `(other)` last.
  func rank(_ step: UInt32) -> Int32 {
    switch step {
    case PathCounter.startMarker: -2
    case Node.exit: Int32.max - 1
    case Node.other: Int32.max
    default: Int(step) < ranks.count ? ranks[Int(step)] : -1
    }
  }

  /// Whether `lhs` comes before `rhs` when both are compared step by step by label.
  func precedes<A: Collection, B: Collection>(_ lhs: A, _ rhs: B) -> Bool
  where A.Element == UInt32, B.Element == UInt32 {
    lhs.lazy.map { rank($0) }.lexicographicallyPrecedes(rhs.lazy.map { rank($0) })
  }

  /// The labels of `steps`.
  func labelled<C: Collection>(_ steps: C) -> [String] where C.Element == UInt32 {
    steps.map { label($0) }
  }

  /// Builds every table and the summary.
  mutating func build() -> PathReport {
    journeys()
    goalPaths()
    funnels()
    transitions()
    patterns()
    return PathReport(tables: tables, summary: summary)
  }

  /// `journeys.csv`: contiguous n-grams with support >= `min_support`.
  mutating func journeys() {
    let slots = tables.goalNames.count
    let threshold = miner.spec.minSupport.threshold(sessions: counts.sessions)
    summary.journeyMinSupport = threshold
    var kept = (0..<counts.grams.count).filter { Int(counts.gramSupport[$0]) >= threshold }
    kept.sort { a, b in
      if counts.gramSupport[a] != counts.gramSupport[b] {
        return counts.gramSupport[a] > counts.gramSupport[b]
      }
      let lengthA = counts.grams.length(a)
      let lengthB = counts.grams.length(b)
      if lengthA != lengthB { return lengthA < lengthB }
      return precedes(counts.grams[a], counts.grams[b])
    }
    var slotOf = [Int32](repeating: -1, count: counts.grams.count)
    for (slot, id) in kept.enumerated() { slotOf[id] = Int32(slot) }
    let medians = Medians.of(
      counts.gramTimes, slotOf: slotOf, slots: kept.count, threads: miner.threads)
    tables.journeys.reserveCapacity(kept.count)
    for (slot, id) in kept.enumerated() {
      let support = Int(counts.gramSupport[id])
      let steps = labelled(counts.grams[id])
      let goals = (0..<slots).map { goal in
        let conversions = Int(counts.gramGoals[id * slots + goal])
        return PathTables.GoalReach(conversions: conversions, rate: ratio(conversions, support))
      }
      tables.journeys.append(
        PathTables.Journey(
          steps: steps, support: support, occurrences: Int(counts.gramOccurrences[id]),
          share: ratio(support, counts.sessions), goals: goals,
          medianSeconds: seconds(medians[slot])))
      if slot < miner.spec.summaryTop {
        summary.topJourneys.append(
          PathSummary.Journey(
            steps: steps, support: support, share: ratio4(support, counts.sessions),
            medianSeconds: secondsTenths(medians[slot])))
      }
    }
    summary.journeyCount = kept.count
  }

  /// `goal_paths.csv`: per goal, the last k steps before it, top paths then `(other)`.
  mutating func goalPaths() {
    let goalNames = tables.goalNames
    var byGoal = [[Int]](repeating: [], count: goalNames.count)
    for id in 0..<counts.paths.count {
      byGoal[Int(counts.paths[id].first ?? 0)].append(id)
    }
    let top = miner.spec.goalPaths.top
    // Slots: one per listed path, then one `(other)` per goal.
    var slotOf = [Int32](repeating: -1, count: counts.paths.count)
    var listed: [[Int]] = []
    var slotCount = 0
    for goal in goalNames.indices {
      var ids = byGoal[goal]
      ids.sort { a, b in
        if counts.pathCounts[a] != counts.pathCounts[b] {
          return counts.pathCounts[a] > counts.pathCounts[b]
        }
        let stepsA = counts.paths[a].dropFirst()
        let stepsB = counts.paths[b].dropFirst()
        if stepsA.count != stepsB.count { return stepsA.count < stepsB.count }
        return precedes(stepsA, stepsB)
      }
      let shown = top == 0 ? ids.count : min(top, ids.count)
      for id in ids[..<shown] {
        slotOf[id] = Int32(slotCount)
        slotCount += 1
      }
      for id in ids[shown...] { slotOf[id] = Int32(slotCount) }
      slotCount += 1
      listed.append(ids)
    }
    let medians = Medians.of(
      [counts.pathTimes], slotOf: slotOf, slots: slotCount, threads: miner.threads)
    for (goal, name) in goalNames.enumerated() {
      let total = counts.goalSessions[goal]
      var entry = PathSummary.Goal(
        goal: name, conversions: total, rate: ratio4(total, counts.sessions), topPaths: [])
      let ids = listed[goal]
      let shown = top == 0 ? ids.count : min(top, ids.count)
      var otherSlot = -1
      for (index, id) in ids.enumerated() {
        if index >= shown {
          otherSlot = Int(slotOf[id])
          break
        }
        let steps = counts.paths[id].dropFirst()
        let path = labelled(steps)
        let conversions = counts.pathCounts[id]
        let median = medians[Int(slotOf[id])]
        tables.goalPaths.append(
          PathTables.GoalPath(
            goal: name, path: path,
            steps: steps.count(where: { $0 != PathCounter.startMarker }),
            conversions: conversions, share: ratio(conversions, total),
            medianSecondsToGoal: seconds(median)))
        if index < miner.spec.summaryTop {
          entry.topPaths.append(
            PathSummary.GoalPath(
              path: path, conversions: conversions, share: ratio4(conversions, total),
              medianSecondsToGoal: secondsTenths(median)))
        }
      }
      if otherSlot >= 0 {
        let conversions = ids[shown...].reduce(0) { $0 + counts.pathCounts[$1] }
        tables.goalPaths.append(
          PathTables.GoalPath(
            goal: name, path: nil, steps: 0, conversions: conversions,
            share: ratio(conversions, total), medianSecondsToGoal: seconds(medians[otherSlot])))
      }
      summary.goals.append(entry)
    }
  }

  /// Milliseconds as seconds (the tables' unit), unrounded.
  func seconds(_ millis: Double?) -> Double? {
    millis.map { $0 / 1000 }
  }
}

/// Special transition nodes besides `(start)` (``PathCounter/startMarker``).
enum Node {
  static let exit = UInt32.max - 1
  static let other = UInt32.max - 2
}
