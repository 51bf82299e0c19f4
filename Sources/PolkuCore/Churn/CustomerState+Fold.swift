extension CustomerState {
  /// Folds one run's sessions into the state.
  ///
  /// Only sessions with a user id count (anonymous visitors are not customers); a session
  /// belongs to the UTC day it started on. Touchpoints and paths are matched against the
  /// run's events (``SignalMatcher``). Afterwards daily lists keep only the days in
  /// `(today - window_days, today]`, where today is the UTC day of the latest `now` folded.
  ///
  /// `inputs` makes the fold idempotent per input: when every input was folded before,
  /// nothing changes and the result says `alreadyFolded`; when only some were, the fold
  /// throws ``PolkuError/Code/usage`` naming them (re-run the same set of files, or remove
  /// the overlap). An empty `inputs` list turns this check off.
  ///
  /// With `carriedWereFolded`, a session whose first events were carried from the state
  /// was counted by the night that carried them, so only its new events are added (states
  /// saved before open sessions were held); without it, every session counts whole.
  public mutating func fold(
    _ run: SessionizedRun, inputs: [InputFingerprint], spec: ChurnSpec, now: Int64,
    carriedWereFolded: Bool = false
  ) throws -> FoldResult {
    var result = FoldResult()
    let seen = inputs.filter { input in folded.contains { $0.input.sameContent(as: input) } }
    if !inputs.isEmpty && seen.count == inputs.count {
      result.alreadyFolded = true
      return result
    }
    if !seen.isEmpty {
      throw PolkuError(
        .usage,
        "input(s) already folded into the state: \(seen.map(\.path).joined(separator: ", ")); "
          + "others are new — run again with only the new inputs, or all of the old ones")
    }

    let goalMap = run.goals.map { goalIndex($0.name) }
    let touchMap = spec.touchpoints.map { signalIndex($0.name) }
    let pathMap = spec.paths.map { signalIndex($0.name) }
    var matcher = SignalMatcher(spec: spec, tables: run.tables)
    // Per id of the run's table: the customer's slot + 1 (0: not met yet). Slots updated
    // by this run, in first-met order.
    var byUser = [Int32](repeating: 0, count: run.tables.ids.count)
    var updated: [Int] = []
    var isUpdated = [Bool](repeating: false, count: customers.count)
    var hits = [Int](repeating: 0, count: touchMap.count)
    let goalMasks = GoalMasks(goals: run.goals, names: run.tables.names)

    for batch in run.batches {
      for session in batch.sessions {
        guard session.user != 0 else {
          result.anonymousSessions += 1
          continue
        }
        let slot: Int
        if byUser[Int(session.user)] != 0 {
          slot = Int(byUser[Int(session.user)]) - 1
        } else {
          let userId = run.tables.ids.string(session.user)
          if let known = index[userId] {
            slot = known
          } else {
            slot = customers.count
            index[userId] = slot
            customers.append(
              CustomerHistory(userId: userId, firstSeen: session.start, lastSeen: session.end))
            result.newCustomers += 1
          }
          byUser[Int(session.user)] = Int32(slot + 1)
          if slot >= isUpdated.count { isUpdated.append(false) }
          if !isUpdated[slot] {
            isUpdated[slot] = true
            updated.append(slot)
          }
        }

        // A session that continues an open session of a state saved before sessions were
        // held (its first events were carried and folded then): add only its new events.
        let all = batch.events[session.eventRange]
        let carried = carriedWereFolded ? all.prefix { $0.isCarried }.count : 0
        let events = all.dropFirst(carried)
        var counted = session
        if carried > 0 {
          counted.eventCount -= Int32(carried)
          counted.goals = events.reduce(0) { $0 | goalMasks.mask($1) }
        } else {
          result.sessions += 1
        }
        let day = UTCDate.day(ms: session.start)
        var signalHits: [(Int, Int)] = []
        if !touchMap.isEmpty {
          for i in hits.indices { hits[i] = 0 }
          for event in events {
            var mask = matcher.touchpoints(event)
            while mask != 0 {
              hits[mask.trailingZeroBitCount] += 1
              mask &= mask - 1
            }
          }
          for (i, count) in hits.enumerated() where count > 0 {
            signalHits.append((touchMap[i], count))
          }
        }
        var pathMask = matcher.pathHits(events)
        while pathMask != 0 {
          signalHits.append((pathMap[pathMask.trailingZeroBitCount], 1))
          pathMask &= pathMask - 1
        }
        customers[slot].add(
          counted, day: day, goalMap: goalMap, signalHits: signalHits, continuation: carried > 0)
      }
    }

    let latest = max(now, lastRun ?? now)
    let horizon = UTCDate.day(ms: latest) - Int64(spec.windowDays)
    for slot in updated { customers[slot].trim(after: horizon) }
    if spec.windowDays < windowDays {
      for slot in customers.indices { customers[slot].trim(after: horizon) }
    }
    windowDays = spec.windowDays
    lastRun = latest
    folded += inputs.map { FoldedInput(input: $0, foldedAt: now) }
    result.customersUpdated = updated.count
    return result
  }

  mutating func goalIndex(_ name: String) -> Int {
    if let found = goalNames.firstIndex(of: name) { return found }
    goalNames.append(name)
    return goalNames.count - 1
  }

  mutating func signalIndex(_ name: String) -> Int {
    if let found = signalNames.firstIndex(of: name) { return found }
    signalNames.append(name)
    return signalNames.count - 1
  }
}

extension CustomerHistory {
  /// Adds one session that started on `day`.
  mutating func add(
    _ session: Session, day: Int64, goalMap: [Int], signalHits: [(signal: Int, count: Int)],
    continuation: Bool = false
  ) {
    let newSessions = continuation ? 0 : 1
    firstSeen = min(firstSeen, session.start)
    lastSeen = max(lastSeen, session.end)
    sessions += newSessions
    events += Int(session.eventCount)
    if let last = days.last, last.day == day {
      days[days.count - 1].sessions += newSessions
      days[days.count - 1].events += Int(session.eventCount)
    } else {
      let at = days.lowerBound { $0.day >= day }
      if at < days.count && days[at].day == day {
        days[at].sessions += newSessions
        days[at].events += Int(session.eventCount)
      } else {
        days.insert(
          DayActivity(day: day, sessions: newSessions, events: Int(session.eventCount)), at: at)
        activeDays += 1
      }
    }
    var goalBits = session.goals
    while goalBits != 0 {
      let bit = goalBits.trailingZeroBitCount
      goalBits &= goalBits - 1
      guard bit < goalMap.count else { continue }
      let slot = goalMap[bit]
      if goals.count <= slot { goals += [Int](repeating: 0, count: slot + 1 - goals.count) }
      goals[slot] += 1
    }
    for (signal, count) in signalHits {
      if signals.count <= signal {
        signals += [Int](repeating: 0, count: signal + 1 - signals.count)
      }
      signals[signal] += count
      let at = signalDays.lowerBound { ($0.day, $0.signal) >= (day, signal) }
      if at < signalDays.count && signalDays[at].day == day && signalDays[at].signal == signal {
        signalDays[at].count += count
      } else {
        signalDays.insert(SignalDay(day: day, signal: signal, count: count), at: at)
      }
    }
  }

  /// Keeps daily entries with `day > horizon`.
  mutating func trim(after horizon: Int64) {
    if let first = days.first, first.day <= horizon { days.removeAll { $0.day <= horizon } }
    if let first = signalDays.first, first.day <= horizon {
      signalDays.removeAll { $0.day <= horizon }
    }
  }
}

extension Array {
  /// The first index whose element satisfies `predicate`, which must be false then true
  /// along the array (binary search).
  func lowerBound(where predicate: (Element) -> Bool) -> Int {
    var low = 0
    var high = count
    while low < high {
      let mid = (low + high) / 2
      if predicate(self[mid]) { high = mid } else { low = mid + 1 }
    }
    return low
  }
}
