import Testing

@testable import PolkuCore

/// Builds small ``SessionizedRun``s by hand for the path tests.
///
/// An event is written as a string: `/page` is a page view, `!Name` a track event, `~Name` a
/// contact, `?` an identify call; `channel|…` puts it on a channel. Times are seconds from the
/// session's start. Goal bits and `identifiedAt` are set the way the sessioniser sets them.
struct RunFixture {
  struct PlannedSession {
    var visitor: UInt32
    var start: Int64
    var events: [(text: String, second: Int64)]
  }

  var tables = EventTables()
  var goals: [GoalSpec] = []
  var sessions: [PlannedSession] = []

  init(goals: [GoalSpec] = []) {
    self.goals = goals
  }

  /// Adds a session of `visitor` starting at `start` seconds, its events 10 s apart.
  mutating func session(_ visitor: UInt32, at start: Int64 = 0, _ events: String...) {
    sessions.append(
      PlannedSession(
        visitor: visitor, start: start,
        events: events.enumerated().map { ($0.element, Int64($0.offset) * 10) }))
  }

  /// Adds a session with explicit event times (seconds from `start`).
  mutating func timedSession(_ visitor: UInt32, at start: Int64 = 0, _ events: [(String, Int64)]) {
    sessions.append(PlannedSession(visitor: visitor, start: start, events: events))
  }

  /// The run, with visitor `v` in batch `v % batches`.
  mutating func run(batches count: Int = 1) -> SessionizedRun {
    var batches = [SessionBatch](repeating: SessionBatch(), count: count)
    let ordered = sessions.enumerated().sorted {
      ($0.element.visitor, $0.element.start, $0.offset) < (
        $1.element.visitor, $1.element.start, $1.offset
      )
    }
    for (_, planned) in ordered {
      let index = Int(planned.visitor) % count
      let key = VisitorKey(id: tables.ids.intern("v\(planned.visitor)"), isUser: false)
      let first = Int32(batches[index].events.count)
      var goalBits: UInt64 = 0
      var identifiedAt: Int32 = -1
      var channels: UInt64 = 0
      for (offset, (text, second)) in planned.events.enumerated() {
        var body = Substring(text)
        var channel: UInt8 = 0
        if let bar = body.firstIndex(of: "|") {
          channel = UInt8(tables.channels.intern(String(body[..<bar])))
          body = body[body.index(after: bar)...]
          channels |= 1 << UInt64(channel)
        }
        var kind = EventKind.page
        var name = String(body)
        switch body.first {
        case "!":
          kind = .track
          name = String(body.dropFirst())
        case "~":
          kind = .contact
          name = String(body.dropFirst())
        case "?":
          kind = .identify
          name = ""
        default: break
        }
        let nameID = name.isEmpty ? 0 : tables.names.intern(name)
        let user: UInt32 =
          kind == .identify || identifiedAt >= 0 ? tables.ids.intern("u\(planned.visitor)") : 0
        if kind == .identify && identifiedAt < 0 { identifiedAt = Int32(offset) }
        for (bit, goal) in goals.enumerated() {
          if kind == .page, goal.page == name { goalBits |= 1 << UInt64(bit) }
          if kind == .track || kind == .contact, goal.event == name { goalBits |= 1 << UInt64(bit) }
        }
        batches[index].events.append(
          SessionEvent(
            Event(
              time: (planned.start + second) * 1000, anonymousId: key.id, userId: user,
              name: nameID, channel: channel, kind: kind)))
      }
      let times = planned.events.map { (planned.start + $0.second) * 1000 }
      batches[index].sessions.append(
        Session(
          visitor: key, start: times.first ?? planned.start * 1000,
          end: times.last ?? planned.start * 1000, firstEvent: first,
          eventCount: Int32(planned.events.count), channels: channels, goals: goalBits,
          identifiedAt: identifiedAt))
    }
    return SessionizedRun(tables: tables, goals: goals, batches: batches)
  }

  /// Mines the run (in `batches` batches) with `spec`.
  mutating func mine(
    _ spec: PathsSpec, batches: Int = 1, unitSize: Int = 20_000, threads: Int = 0
  ) -> PathReport {
    let run = run(batches: batches)
    var miner = PathMiner(spec: spec, goals: goals, tables: run.tables)
    miner.unitSize = unitSize
    miner.threads = threads
    return miner.mine(run)
  }
}

@Suite struct PathsFixtureTests {
  @Test func fixtureBuildsConsistentSessions() {
    var fixture = RunFixture(goals: [GoalSpec(name: "signup", event: "Signed Up")])
    fixture.session(1, "/a", "?", "!Signed Up")
    fixture.session(2, "/b")
    let run = fixture.run(batches: 2)
    #expect(run.sessionCount == 2)
    let first = run.batches[1].sessions[0]
    #expect(first.goals == 1 && first.identifiedAt == 1 && first.eventCount == 3)
    #expect(run.batches[0].sessions[0].goals == 0)
  }
}
