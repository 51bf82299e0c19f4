/// Cuts one partition's events into sessions.
///
/// Input: the partition's events with their visitor keys, in any order. Output: a
/// ``SessionBatch`` whose events are sorted by (visitor, time, file, line), with
/// duplicates (a visitor's second event with the same message id) removed, and whose
/// sessions cover every event. A new session starts when the gap to the visitor's
/// previous event is greater than `gap_seconds` (an event exactly at the gap stays), when
/// the session has lasted `max_duration_seconds`, or, with `split_on_source_change`, when
/// an event brings a campaign source other than the session's.
public struct Sessionizer: Sendable {
  public let spec: SessionSpec
  public let goals: GoalMasks

  public init(spec: SessionSpec, goals: GoalMasks) {
    self.spec = spec
    self.goals = goals
  }

  /// The result for one partition.
  public struct Output: Sendable {
    public var batch: SessionBatch
    public var duplicates: Int
  }

  public func run(events: [Event], keys: [VisitorKey]) -> Output {
    let order = Sessionizer.sortedOrder(events: events, keys: keys)
    var sorted: [Event] = []
    sorted.reserveCapacity(events.count)
    var sessions: [Session] = []
    var duplicates = 0
    var seen = MessageHashSet()

    let gap = Int64(spec.gapSeconds) * 1000
    let maxDuration = Int64(spec.maxDurationSeconds) * 1000
    var current: Session?

    func close() {
      if var session = current {
        if session.identifiedAt == -2 { session.identifiedAt = -1 }
        sessions.append(session)
      }
      current = nil
    }

    var previousKey: VisitorKey?
    for index in order {
      let event = events[Int(index)]
      let key = keys[Int(index)]
      if key != previousKey {
        close()
        seen.removeAll()
        previousKey = key
      }
      if event.messageHash != 0 && !seen.insert(event.messageHash) {
        duplicates += 1
        continue
      }
      // A carried event that the new input also has (the same night read twice): keep
      // the input's copy, which sorts first.
      if event.isCarried, current != nil, let last = sorted.last, last.time == event.time,
        last.name == event.name, last.kind == event.kind, !last.isCarried
      {
        duplicates += 1
        continue
      }
      if var session = current {
        let split =
          event.time - session.end > gap
          || (maxDuration > 0 && event.time - session.start >= maxDuration)
          || (spec.splitOnSourceChange && event.source != 0 && session.source != 0
            && event.source != session.source)
        if !split {
          add(event, position: sorted.count, to: &session)
          current = session
          sorted.append(event)
          continue
        }
        close()
      }
      var session = Session(
        visitor: key, user: key.isUser ? key.id : 0, start: event.time, end: event.time,
        firstEvent: Int32(sorted.count), eventCount: 0)
      add(event, position: sorted.count, to: &session)
      current = session
      sorted.append(event)
    }
    close()
    return Output(
      batch: SessionBatch(events: sorted, sessions: sessions),
      duplicates: duplicates)
  }

  @inline(__always)
  private func add(_ event: Event, position: Int, to session: inout Session) {
    // identifiedAt is -2 while every event so far was anonymous (see `close`).
    if session.eventCount == 0 {
      session.identifiedAt = event.userId == 0 ? -2 : -1
    } else if session.identifiedAt == -2 && event.userId != 0 {
      session.identifiedAt = Int32(position) - session.firstEvent
    }
    if !session.visitor.isUser && event.userId != 0 { session.user = event.userId }
    session.eventCount += 1
    session.end = event.time
    if event.kind == .page {
      session.pageviews += 1
      if session.entryPage == 0 { session.entryPage = event.name }
      session.exitPage = event.name
    }
    if event.channel < 64 { session.channels |= 1 << UInt64(event.channel) }
    if session.source == 0 { session.source = event.source }
    session.goals |= goals.mask(event)
  }

  /// Indices of `events` in (key, time, file, line) order.
  ///
  /// Radix-sorts packed `key << 32 | index` integers (cheap, cache-friendly) to group each
  /// visitor's events, then orders each visitor's few events by time; a visitor's events
  /// arrive almost in time order, so the second sort is close to linear.
  static func sortedOrder(events: [Event], keys: [VisitorKey]) -> [UInt32] {
    let count = events.count
    var packed = [UInt64](repeating: 0, count: count)
    keys.withUnsafeBufferPointer { keys in
      for index in 0..<count { packed[index] = UInt64(keys[index].raw) << 32 | UInt64(index) }
    }
    RadixSort.sortByHighWord(&packed)
    var order = packed.map { UInt32(truncatingIfNeeded: $0) }
    events.withUnsafeBufferPointer { events in
      order.withUnsafeMutableBufferPointer { order in
        var start = 0
        while start < count {
          let key = packed[start] >> 32
          var end = start + 1
          while end < count && packed[end] >> 32 == key { end += 1 }
          if end - start > 256 {
            // A very busy visitor (an unfiltered bot): a general sort, never quadratic.
            var run = UnsafeMutableBufferPointer(rebasing: order[start..<end])
            run.sort { a, b in
              let ea = events[Int(a)]
              let eb = events[Int(b)]
              return (ea.time, ea.file, ea.line) < (eb.time, eb.file, eb.line)
            }
          } else if end - start > 1 {
            // Insertion sort: stable, and fast on the short, nearly sorted runs of most
            // visitors.
            for position in (start + 1)..<end {
              let moving = order[position]
              let event = events[Int(moving)]
              var slot = position
              while slot > start {
                let other = events[Int(order[slot - 1])]
                let before =
                  other.time != event.time
                  ? other.time > event.time
                  : (other.file != event.file ? other.file > event.file : other.line > event.line)
                guard before else { break }
                order[slot] = order[slot - 1]
                slot -= 1
              }
              order[slot] = moving
            }
          }
          start = end
        }
      }
    }
    return order
  }
}
