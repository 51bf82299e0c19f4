import Dispatch
import Synchronization

/// Mines sessions for micro-journeys, goal paths, funnels, transitions and sequential
/// patterns.
///
/// Construction resolves everything string-shaped once (step labels, grouping and
/// exclusion regexes, goal matches, funnel steps); ``mine(_:)`` then works on compact
/// step ids only. `tables` must be the tables of the runs later mined.
///
/// **Steps.** A session's page views become their normalised page name, track events and
/// contacts their event name; identify events and events without a name are not steps.
/// Grouping rules rename a name (first match wins), exclusions drop it (tested on the name
/// before and after grouping), then consecutive repeats collapse (`collapse_repeats`).
/// Labels are `channel:name` when steps are labelled by channel.
///
/// **Tables** (steps in a cell are joined with ` > `; shares and rates have 4 decimals,
/// times are seconds with 1 decimal; all sessions, with or without steps, are the
/// denominator of shares):
/// - `journeys.csv`: every contiguous run of 2...`max_steps` steps with support (sessions
///   containing it) >= `min_support`; occurrences; per goal slot, the sessions among those
///   that reach the goal (anywhere in the session) and their rate; the median over
///   supporting sessions of the time from first to last step of its first occurrence.
///   Sorted by support (descending), length, then steps by label.
/// - `goal_paths.csv`: per goal (pipeline goals, then `first_identified`), the last
///   `goal_paths.steps` steps before the event that reached it, prefixed by `(start)` when
///   the path reaches back to the session start; conversions, share of the goal's
///   conversions, median time from session start to the goal event. Top
///   `goal_paths.top` paths, then one `(other)` row.
/// - `funnels.csv`: see ``FunnelMatcher`` for the matching rule.
/// - `transitions.csv`: step-to-step edges including `(start)` and `(exit)`, with cut edges
///   summed into `(other)` rows so the counts add up to every transition.
/// - `patterns.csv`: PrefixSpan patterns (gaps allowed, support = sessions containing the
///   pattern), sorted like journeys.
public struct PathMiner: Sendable {
  /// The options in force.
  public let spec: PathsSpec
  /// The pipeline's goals (only the first 64 can be reached: ``Session/goals`` has 64 bits).
  public let goals: [GoalSpec]
  let alphabet: StepAlphabet
  let counter: PathCounter
  /// Sessions per unit of parallel work (whole visitors are never split).
  var unitSize = 250_000
  /// Worker threads for the counting passes and pattern mining; 0 means one per CPU.
  public var threads = 0

  /// A miner for runs whose events refer to `tables`, on `threads` workers (0: one per
  /// CPU).
  public init(spec: PathsSpec, goals: [GoalSpec], tables: EventTables, threads: Int = 0) {
    self.spec = spec
    self.threads = threads
    self.goals = goals
    let alphabet = StepAlphabet(spec: spec, goals: goals, tables: tables)
    self.alphabet = alphabet
    let funnels = spec.funnels.map { funnel in
      PathCounter.ResolvedFunnel(
        steps: funnel.steps.map { alphabet.step(labelled: $0) },
        withinMillis: funnel.withinSeconds.map { Int64($0) * 1000 },
        byVisitor: funnel.count == .visitors)
    }
    counter = PathCounter(
      alphabet: alphabet, goalCount: min(goals.count, 64), maxSteps: spec.maxSteps,
      goalPathSteps: spec.goalPaths.steps, collapseRepeats: spec.collapseRepeats,
      funnels: funnels, keepSequences: spec.patterns.enabled)
  }

  /// The names of the goal slots: the pipeline's goals, then `first_identified`.
  var goalNames: [String] { goals.prefix(64).map(\.name) + ["first_identified"] }

  /// Mines every batch and returns the report.
  ///
  /// Batches (split into runs of whole visitors when large) are counted on ``threads``
  /// workers; the partial counts are merged in unit order. A
  /// second parallel pass counts micro-journeys longer than two steps, only through step
  /// pairs that reached the support threshold, so memory stays with what can be kept. The
  /// output is byte-identical whatever the number of batches or threads.
  public func mine(_ run: SessionizedRun) -> PathReport {
    let units = plan(run)
    let workers = threads > 0 ? threads : onlineCPUs()
    let counter = self.counter
    var total = PathPartial(
      goalSlots: min(goals.count, 64) + 1, funnelLengths: spec.funnels.map(\.steps.count))
    if spec.patterns.enabled {
      // Every session's steps end up in one database: room for all of them up front.
      total.sequences.reserveCapacity(
        items: run.batches.reduce(0) { $0 + $1.events.count }, sequences: run.sessionCount)
    }
    total = mergeInOrder(parts: units.count, threads: workers, into: total.take()) { index in
      let unit = units[index]
      return counter.count(run.batches[unit.batch], sessions: unit.sessions)
    }
    MemoryUsage.releaseFreeMemory()
    // Second pass: longer micro-journeys, only through frequent step pairs.
    let threshold = spec.minSupport.threshold(sessions: total.sessions)
    var pairs: [UInt64] = []
    for id in 0..<total.grams.count where Int(total.gramSupport[id]) >= threshold {
      let pair = total.grams[id]
      pairs.append(UInt64(pair[pair.startIndex]) << 32 | UInt64(pair[pair.startIndex + 1]))
    }
    let frequentPairs = PairSet(pairs)
    if spec.maxSteps >= 3 && !frequentPairs.isEmpty {
      total = mergeInOrder(parts: units.count, threads: workers, into: total.take()) { index in
        let unit = units[index]
        return counter.countLongJourneys(
          run.batches[unit.batch], sessions: unit.sessions, frequentPairs: frequentPairs)
      }
      MemoryUsage.releaseFreeMemory()
    }
    // From here on only the journeys that made the cut matter, and every step pair (for
    // transitions.csv): drop the other candidates (often millions) before the third pass.
    total.keepPairsAndGrams(withSupport: threshold)
    MemoryUsage.releaseFreeMemory()
    // Third pass: times of the journeys that made the cut, for their medians.
    var kept = SequenceInterner(capacity: 256)
    var keptIds: [Int] = []
    for id in 0..<total.grams.count where Int(total.gramSupport[id]) >= threshold {
      total.grams[id].withUnsafeBufferPointer { _ = kept.intern($0) }
      keptIds.append(id)
    }
    if !keptIds.isEmpty {
      let keptGrams = kept
      let ids = keptIds
      // The body cannot throw, so neither can parallelMap here.
      total.gramTimes =
        (try? parallelMap(count: units.count, threads: workers) { index in
          let unit = units[index]
          return counter.gramTimes(
            run.batches[unit.batch], sessions: unit.sessions, kept: keptGrams, keptIds: ids)
        }) ?? []
      MemoryUsage.releaseFreeMemory()  // the passes' step sequences
    }
    var builder = PathReportBuilder(miner: self, counts: total)
    total.sequences = SequenceDatabase()  // the builder's copy is the only one left
    return builder.build()
  }

  /// Units of work: each batch, cut into runs of about ``unitSize`` sessions at visitor
  /// boundaries.
  func plan(_ run: SessionizedRun) -> [(batch: Int, sessions: Range<Int>)] {
    var units: [(batch: Int, sessions: Range<Int>)] = []
    for (index, batch) in run.batches.enumerated() {
      let sessions = batch.sessions
      var start = 0
      while start < sessions.count {
        var end = min(start + unitSize, sessions.count)
        while end < sessions.count && sessions[end].visitor == sessions[end - 1].visitor {
          end += 1
        }
        units.append((index, start..<end))
        start = end
      }
    }
    return units
  }
}
