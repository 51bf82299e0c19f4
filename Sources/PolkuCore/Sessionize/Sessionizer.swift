/// Cuts one partition's events into sessions.
///
/// Input: the partition's events with their visitor keys, in any order. Output: a
/// ``SessionBatch`` whose events are sorted by (visitor, time, input position), with
/// duplicates (a visitor's second event with the same message id) removed, and whose
/// sessions cover every event. A new session starts when the gap to the visitor's
/// previous event is greater than `gap_seconds` (an event exactly at the gap stays), when
/// the session has lasted `max_duration_seconds`, or, with `split_on_source_change`, when
/// an event brings a campaign source other than the session's.
public struct Sessionizer: Sendable {
  public let spec: SessionSpec
  public let goals: GoalMasks
  /// Whether each batch keeps the whole events of the sessions that may still be open at
  /// its end (``SessionBatch/openTails``): each visitor's last session, when it ended
  /// within `gap_seconds` of the batch's latest session end. Needed only with `--state`.
  public var keepsTails: Bool

  public init(spec: SessionSpec, goals: GoalMasks, keepsTails: Bool = false) {
    self.spec = spec
    self.goals = goals
    self.keepsTails = keepsTails
  }

  /// The result for one partition.
  public struct Output: Sendable {
    public var batch: SessionBatch
    public var duplicates: Int
  }

  public func run(events: [Event], keys: [VisitorKey]) -> Output {
    precondition(keys.count == events.count, "Sessionizer.run: one key per event")
    var packed = [UInt64](repeating: 0, count: events.count)
    for index in packed.indices { packed[index] = UInt64(keys[index].raw) << 32 | UInt64(index) }
    RadixSort.sortByHighWord(&packed)
    return packed.withUnsafeMutableBufferPointer { packed in
      let sorted = events.withUnsafeBufferPointer {
        Sessionizer.gather($0, by: packed)
      }
      return run(sorted: consume sorted, packed: UnsafeBufferPointer(packed))
    }
  }

  /// Cuts events already in visitor and time order (see ``gather(_:by:)``) into sessions;
  /// `packed[i]` holds the visitor key of `sorted[i]` in its high word.
  ///
  /// `sorted` is consumed: it is the only reference, so the writes below do not copy it.
  func run(sorted: consuming [Event], packed: UnsafeBufferPointer<UInt64>) -> Output {
    precondition(packed.count == sorted.count, "Sessionizer.run: one sort entry per event")
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

    // Kept events go to the batch as 16-byte ``SessionEvent``s; with tails, the whole
    // events also move down over the dropped duplicates (`kept` <= `read`), so a session's
    // whole events are at its range in `sorted`.
    var kept = 0
    var previousKey: VisitorKey?
    let count = sorted.count
    let events = [SessionEvent](unsafeUninitializedCapacity: count) { slim, initialized in
      sorted.withUnsafeMutableBufferPointer { sorted in
        for read in 0..<count {
          let event = sorted[read]
          let key = VisitorKey(raw: UInt32(truncatingIfNeeded: packed[read] >> 32))
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
          if event.isCarried, current != nil, kept > 0 {
            let last = slim[kept - 1]
            if last.time == event.time && last.name == event.name && last.kind == event.kind
              && !last.isCarried
            {
              duplicates += 1
              continue
            }
          }
          if var session = current {
            let split =
              event.time - session.end > gap
              || (maxDuration > 0 && event.time - session.start >= maxDuration)
              || (spec.splitOnSourceChange && event.source != 0 && session.source != 0
                && event.source != session.source)
            if !split {
              add(event, position: kept, to: &session)
              current = session
              slim[kept] = SessionEvent(event)
              if keepsTails { sorted[kept] = event }
              kept += 1
              continue
            }
            close()
          }
          var session = Session(
            visitor: key, user: key.isUser ? key.id : 0, start: event.time, end: event.time,
            firstEvent: Int32(kept), eventCount: 0)
          add(event, position: kept, to: &session)
          current = session
          slim[kept] = SessionEvent(event)
          if keepsTails { sorted[kept] = event }
          kept += 1
        }
      }
      initialized = kept
    }
    close()
    // Dropped duplicates leave their room unused (a few percent at most); copying to an
    // exact size would cost more than it saves.
    let tails = keepsTails ? Sessionizer.openTails(of: sessions, events: sorted, gap: gap) : []
    return Output(
      batch: SessionBatch(events: events, sessions: sessions, openTails: tails),
      duplicates: duplicates)
  }

  /// Each visitor's last session that ended within `gap` of the latest session end, with
  /// its latest events whole. A batch end at or after that latest end (the run's latest
  /// session end, or the end of a `--date` day) can only keep fewer of them open.
  static func openTails(of sessions: [Session], events: [Event], gap: Int64) -> [OpenTail] {
    guard let latest = sessions.lazy.map(\.end).max() else { return [] }
    var tails: [OpenTail] = []
    for (index, session) in sessions.enumerated() where latest - session.end <= gap {
      guard index + 1 == sessions.count || sessions[index + 1].visitor != session.visitor
      else { continue }
      let range = session.eventRange
      let first = max(range.lowerBound, range.upperBound - SessionTails.maxEventsPerVisitor)
      tails.append(OpenTail(session: index, events: Array(events[first..<range.upperBound])))
    }
    return tails
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

  /// `events` in (key, time, input position) order, given `packed`: `key << 32 | index` for
  /// every event, already sorted by key with indices ascending within a key (what
  /// ``RadixSort/sortByHighWord(_:)`` makes of entries in input order).
  ///
  /// Gathers the events in that order (independent loads, so the CPU overlaps their cache
  /// misses), then orders each visitor's few events by time on the contiguous copy,
  /// moving `packed` alike; a visitor's events arrive almost in time order, so that sort is
  /// close to linear.
  static func gather(
    _ events: UnsafeBufferPointer<Event>, by packed: UnsafeMutableBufferPointer<UInt64>
  ) -> [Event] {
    let count = packed.count
    var result = [Event](unsafeUninitializedCapacity: count) { buffer, initialized in
      for position in 0..<count {
        (buffer.baseAddress! + position).initialize(
          to: events[Int(UInt32(truncatingIfNeeded: packed[position]))])
      }
      initialized = count
    }
    result.withUnsafeMutableBufferPointer { events in
      var start = 0
      while start < count {
        let key = packed[start] >> 32
        var end = start + 1
        while end < count && packed[end] >> 32 == key { end += 1 }
        if end - start > 1 { sortByTime(events, packed, start..<end) }
        start = end
      }
    }
    return result
  }

  /// Orders one visitor's events (and their packed entries alike) by time, then input
  /// position: the index in `packed`, which follows the input order (files in order, each
  /// file's lines in order, carried events last).
  private static func sortByTime(
    _ events: UnsafeMutableBufferPointer<Event>, _ packed: UnsafeMutableBufferPointer<UInt64>,
    _ range: Range<Int>
  ) {
    @inline(__always) func before(_ a: Event, _ b: Event) -> Bool { a.time < b.time }
    if range.count > 256 {
      // A very busy visitor (an unfiltered bot): a general sort, never quadratic; ties go
      // by input position, as in the insertion sort.
      var order = Array(range)
      order.sort { a, b in
        let (x, y) = (events[a].time, events[b].time)
        return x != y ? x < y : packed[a] < packed[b]
      }
      let moved = order.map { events[$0] }
      let movedPacked = order.map { packed[$0] }
      for (offset, position) in range.enumerated() {
        events[position] = moved[offset]
        packed[position] = movedPacked[offset]
      }
      return
    }
    // Insertion sort: stable, and fast on the short, nearly sorted runs of most visitors.
    for position in (range.lowerBound + 1)..<range.upperBound {
      let moving = events[position]
      let movingPacked = packed[position]
      var slot = position
      while slot > range.lowerBound && before(moving, events[slot - 1]) {
        events[slot] = events[slot - 1]
        packed[slot] = packed[slot - 1]
        slot -= 1
      }
      events[slot] = moving
      packed[slot] = movingPacked
    }
  }
}
