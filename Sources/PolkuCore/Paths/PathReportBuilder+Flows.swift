extension PathReportBuilder {
  /// `funnels.csv`: per funnel and step, how many got there.
  ///
  /// `dropped` is the number that reached the previous step but not this one;
  /// conversions are from the entry step and from the previous step.
  mutating func funnels() {
    for (index, funnel) in miner.spec.funnels.enumerated() {
      let reached = counts.funnelReached[index]
      let entered = reached.first ?? 0
      var entry = PathSummary.Funnel(
        name: funnel.name, count: funnel.count.rawValue, entered: entered,
        completed: reached.last ?? 0, conversion: ratio4(reached.last ?? 0, entered), steps: [])
      for (step, label) in funnel.steps.enumerated() {
        let previous = step == 0 ? entered : reached[step - 1]
        let median = step == 0 ? nil : Medians.median(counts.funnelGaps[index][step])
        tables.funnels.append(
          PathTables.FunnelStep(
            funnel: funnel.name, count: funnel.count.rawValue, index: step + 1, step: label,
            reached: reached[step], dropped: previous - reached[step],
            conversionFromStart: ratio(reached[step], entered),
            conversionFromPrevious: ratio(reached[step], previous),
            medianSecondsFromPrevious: seconds(median)))
        entry.steps.append(
          PathSummary.FunnelStep(
            step: label, reached: reached[step],
            conversionFromStart: ratio4(reached[step], entered),
            medianSecondsFromPrevious: secondsTenths(median)))
      }
      summary.funnels.append(entry)
    }
  }

  /// `transitions.csv`: step-to-step edges with `(start)` and `(exit)`.
  ///
  /// Edges are ranked by count (then source and target label). The first `top` with count
  /// >= `min_count` are listed; every other edge is summed into `source → (other)` when its
  /// source appears in a listed edge, else into `(other) → (other)`. So the counts always add
  /// up to every transition made (steps + 1 per session with steps), and each listed node's
  /// outgoing total is kept.
  mutating func transitions() {
    var edges: [(source: UInt32, target: UInt32, count: Int)] = []
    for id in 0..<counts.grams.count where counts.grams.length(id) == 2 {
      let pair = counts.grams[id]
      edges.append(
        (pair[pair.startIndex], pair[pair.startIndex + 1], Int(counts.gramOccurrences[id])))
    }
    for (step, count) in counts.entries { edges.append((PathCounter.startMarker, step, count)) }
    for (step, count) in counts.exits { edges.append((step, Node.exit, count)) }
    let total = edges.reduce(0) { $0 + $1.count }
    edges.sort { a, b in
      if a.count != b.count { return a.count > b.count }
      if a.source != b.source { return rank(a.source) < rank(b.source) }
      return rank(a.target) < rank(b.target)
    }
    let options = miner.spec.transitions
    var kept: [(source: UInt32, target: UInt32, count: Int)] = []
    var cut: [(source: UInt32, target: UInt32, count: Int)] = []
    for edge in edges {
      if edge.count >= options.minCount && (options.top == 0 || kept.count < options.top) {
        kept.append(edge)
      } else {
        cut.append(edge)
      }
    }
    var listedNodes: Set<UInt32> = []
    for edge in kept {
      listedNodes.insert(edge.source)
      listedNodes.insert(edge.target)
    }
    var others: [UInt32: Int] = [:]
    for edge in cut {
      others[listedNodes.contains(edge.source) ? edge.source : Node.other, default: 0] += edge.count
    }
    var otherRows = others.map { (source: $0.key, target: Node.other, count: $0.value) }
    otherRows.sort { a, b in
      if a.count != b.count { return a.count > b.count }
      return rank(a.source) < rank(b.source)
    }
    tables.transitions = (kept + otherRows).map { edge in
      PathTables.Transition(
        source: label(edge.source), target: label(edge.target), count: edge.count,
        share: ratio(edge.count, total))
    }
  }

  /// The sessions' step sequences, handed over to the pattern miner (nothing else reads
  /// them after the alphabet is marked), so their memory goes before mining starts.
  private mutating func takeSequences() -> SequenceDatabase {
    let sequences = counts.sequences
    counts.sequences = SequenceDatabase()
    return sequences
  }

  /// `patterns.csv`: frequent sequential patterns with gaps (PrefixSpan).
  mutating func patterns() {
    let options = miner.spec.patterns
    guard options.enabled else { return }
    let threshold = options.minSupport.threshold(sessions: counts.sessions)
    summary.patternMinSupport = threshold
    let found = PrefixSpan(
      minSupport: threshold, minLength: options.minLength, maxLength: options.maxLength,
      closedOnly: options.closedOnly, threads: miner.threads
    ).mine(takeSequences())
    MemoryUsage.releaseFreeMemory()  // the miner's copy of the sequences
    var order = Array(0..<found.count)
    order.sort { a, b in
      if found.supports[a] != found.supports[b] { return found.supports[a] > found.supports[b] }
      if found.length(a) != found.length(b) { return found.length(a) < found.length(b) }
      return precedes(found[a], found[b])
    }
    tables.patterns = order.map { index in
      PathTables.Pattern(
        steps: labelled(found[index]), support: found.supports[index],
        share: ratio(found.supports[index], counts.sessions))
    }
    summary.patternCount = found.count
  }
}
