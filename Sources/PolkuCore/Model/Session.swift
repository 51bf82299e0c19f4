/// One session: a visitor's run of events with no gap over the configured limit.
///
/// A session refers to its events by range in its ``SessionBatch/events``; everything
/// else a dashboard needs is precomputed here, so later stages never rescan strings.
public struct Session: Sendable, Equatable {
  public var visitor: VisitorKey
  /// The user id (in ``EventTables/ids``) the visitor is known as, 0 when anonymous.
  public var user: UInt32
  /// Time of the first and last event, ms since the epoch (UTC).
  public var start: Int64
  public var end: Int64
  /// The session's events are `events[firstEvent ..< firstEvent + eventCount]`.
  public var firstEvent: Int32
  public var eventCount: Int32
  public var pageviews: Int32
  /// Bit `c` is set when an event on channel id `c` is in the session (ids < 64).
  public var channels: UInt64
  /// First and last page view's normalised path (in ``EventTables/names``), 0 when none.
  public var entryPage: UInt32
  public var exitPage: UInt32
  /// The campaign source of the first event that has one, 0 when none.
  public var source: UInt32
  /// Bit `g` is set when the session reaches goal `g` of the pipeline's `goals`.
  public var goals: UInt64
  /// Offset (from `firstEvent`) of the first event with a user id in a session that
  /// started anonymous: the built-in "first identified event" goal. -1 when none.
  public var identifiedAt: Int32

  public init(
    visitor: VisitorKey, user: UInt32 = 0, start: Int64, end: Int64, firstEvent: Int32,
    eventCount: Int32, pageviews: Int32 = 0, channels: UInt64 = 0, entryPage: UInt32 = 0,
    exitPage: UInt32 = 0, source: UInt32 = 0, goals: UInt64 = 0, identifiedAt: Int32 = -1
  ) {
    self.visitor = visitor
    self.user = user
    self.start = start
    self.end = end
    self.firstEvent = firstEvent
    self.eventCount = eventCount
    self.pageviews = pageviews
    self.channels = channels
    self.entryPage = entryPage
    self.exitPage = exitPage
    self.source = source
    self.goals = goals
    self.identifiedAt = identifiedAt
  }

  /// Duration in whole seconds (end - start, rounded down).
  public var durationSeconds: Int64 { (end - start) / 1000 }
  /// A bounce: a session with a single page view and no other event.
  public var isBounce: Bool { eventCount == 1 && pageviews == 1 }
  /// The range of the session's events in its batch.
  public var eventRange: Range<Int> { Int(firstEvent)..<Int(firstEvent + eventCount) }
}

/// One partition of visitors after sessionising: their events and their sessions.
///
/// `events` is sorted by (visitor, time, input position) with duplicates removed, and every
/// event belongs to exactly one session. Visitors are assigned to partitions by a stable
/// hash of their key, so a visitor's whole history is in one batch.
public struct SessionBatch: Sendable {
  public var events: [SessionEvent]
  /// Sessions in (visitor, start) order.
  public var sessions: [Session]
  /// The whole events of the sessions that may still be open at the end of the batch,
  /// when the sessioniser was asked to keep them (``Sessionizer/keepsTails``, for
  /// `--state`); what ``SessionTails/collect(_:batchEnd:gapSeconds:)`` saves.
  public var openTails: [OpenTail]

  public init(
    events: [SessionEvent] = [], sessions: [Session] = [], openTails: [OpenTail] = []
  ) {
    self.events = events
    self.sessions = sessions
    self.openTails = openTails
  }
}

/// A visitor's last session in a batch, with its latest events whole (at most
/// ``SessionTails/maxEventsPerVisitor``), kept because it may go on in the next batch.
public struct OpenTail: Sendable, Equatable {
  /// The session's index in its batch's `sessions`.
  public var session: Int
  public var events: [Event]

  public init(session: Int, events: [Event]) {
    self.session = session
    self.events = events
  }
}

/// Everything sessionising produced, the input of path mining, churn and the writers.
public struct SessionizedRun: Sendable {
  public var tables: EventTables
  public var goals: [GoalSpec]
  public var batches: [SessionBatch]

  public init(tables: EventTables, goals: [GoalSpec], batches: [SessionBatch]) {
    self.tables = tables
    self.goals = goals
    self.batches = batches
  }

  /// The total number of sessions over all batches.
  public var sessionCount: Int { batches.reduce(0) { $0 + $1.sessions.count } }
}
