import Testing

@testable import PolkuCore

@Suite struct SessionizerTests {
  /// Builds events for one table of ids: (anonymous, user, seconds, name).
  func events(_ rows: [(String?, String?, Int64, String)], tables: inout EventTables) -> [Event] {
    rows.map { row in
      Event(
        time: row.2 * 1000, messageHash: 0,
        anonymousId: row.0.map { tables.ids.intern($0) } ?? 0,
        userId: row.1.map { tables.ids.intern($0) } ?? 0,
        name: tables.names.intern(row.3),
        channel: UInt8(tables.channels.intern("web")), kind: .page)
    }
  }

  /// `count` files of `rows` events each, `row(file, index)` giving each event as in
  /// ``events(_:tables:)``.
  func files(
    _ count: Int, rows: Int, tables: inout EventTables,
    _ row: (Int, Int) -> (String?, String?, Int64, String)
  ) -> [[Event]] {
    (0..<count).map { file in events((0..<rows).map { row(file, $0) }, tables: &tables) }
  }

  func sessionize(_ events: [Event], spec: SessionSpec = SessionSpec(), tables: EventTables)
    -> Sessionizer.Output
  {
    let sessionizer = Sessionizer(spec: spec, goals: GoalMasks(goals: [], names: tables.names))
    return sessionizer.run(events: events, keys: events.map(IdentityStitcher.deviceKey))
  }

  @Test func gapExactlyAtTheLimitStaysInTheSession() {
    var tables = EventTables()
    let input = events(
      [("a", nil, 0, "/"), ("a", nil, 1800, "/x"), ("a", nil, 3601, "/y")], tables: &tables)
    let output = sessionize(input, tables: tables)
    #expect(output.batch.sessions.count == 2)
    #expect(output.batch.sessions.map(\.eventCount) == [2, 1])
    #expect(output.batch.sessions[0].durationSeconds == 1800)
  }

  @Test func unorderedInputIsSortedPerVisitor() {
    var tables = EventTables()
    let input = events(
      [
        ("b", nil, 5000, "/b2"), ("a", nil, 100, "/a1"), ("b", nil, 10, "/b1"),
        ("a", nil, 50, "/a0"),
      ], tables: &tables)
    let output = sessionize(input, tables: tables)
    let names = output.batch.events.map { tables.names.string($0.name) }
    // Visitors in key order ("b" was interned first), each visitor's events by time.
    #expect(names == ["/b1", "/b2", "/a0", "/a1"])
    #expect(output.batch.sessions.count == 3)
    let a = output.batch.sessions.last
    #expect(a?.entryPage == tables.names.lookup("/a0"))
    #expect(a?.exitPage == tables.names.lookup("/a1"))
  }

  @Test func duplicatesOfOneVisitorAreDropped() {
    var tables = EventTables()
    var input = events(
      [("a", nil, 0, "/"), ("a", nil, 0, "/"), ("a", nil, 60, "/x")], tables: &tables)
    input[0].messageHash = 7
    input[1].messageHash = 7
    input[1].name = tables.names.intern("/second-copy")
    input[2].messageHash = 8
    let output = sessionize(input, tables: tables)
    #expect(output.duplicates == 1)
    // The first copy (line 1) is kept.
    #expect(output.batch.events.map { tables.names.string($0.name) } == ["/", "/x"])
  }

  @Test func openTailsAreEachVisitorsLastSessionNearTheBatchEndWithWholeEvents() {
    var tables = EventTables()
    // a: sessions at 0 s and 10,000 s; b: one at 1,000 s (ends 2,000 s); c: one at
    // 8,300 s, 1,700 s before a's last event (within the gap), with a user id.
    var input = events(
      [
        ("a", nil, 0, "/"), ("a", nil, 10_000, "/late"), ("b", nil, 1_000, "/"),
        ("b", nil, 2_000, "/b"), ("c", "u1", 8_300, "/c"),
      ], tables: &tables)
    input[4].messageHash = 99
    input[4].source = tables.sources.intern("mail")
    var sessionizer = Sessionizer(
      spec: SessionSpec(), goals: GoalMasks(goals: [], names: tables.names))
    let keys = input.map(IdentityStitcher.deviceKey)
    #expect(sessionizer.run(events: input, keys: keys).batch.openTails.isEmpty)
    sessionizer.keepsTails = true
    let batch = sessionizer.run(events: input, keys: keys).batch
    let tails = batch.openTails
    #expect(tails.map { batch.sessions[$0.session].start } == [10_000_000, 8_300_000])
    #expect(tails.map { $0.events.map(\.time) } == [[10_000_000], [8_300_000]])
    #expect(tails.last?.events.first == input[4])
  }

  @Test func anOpenTailKeepsTheLatestEventsOfAVeryLongSession() {
    var tables = EventTables()
    let count = SessionTails.maxEventsPerVisitor + 3
    let input = events((0..<count).map { ("a", nil, Int64($0), "/p") }, tables: &tables)
    var sessionizer = Sessionizer(
      spec: SessionSpec(), goals: GoalMasks(goals: [], names: tables.names))
    sessionizer.keepsTails = true
    let batch = sessionizer.run(events: input, keys: input.map(IdentityStitcher.deviceKey)).batch
    #expect(batch.sessions.map(\.eventCount) == [Int32(count)])
    #expect(batch.openTails.first?.events.map(\.time) == (3..<count).map { Int64($0) * 1000 })
  }

  @Test func aCarriedEventThatTheInputAlsoHasIsDroppedForTheInputsCopy() {
    // Last night's tail (carried, no message ids, as from an access log) overlaps
    // tonight's file, which starts a minute before midnight. Carried events come after
    // the files' (the runner appends them as the last chunk).
    var tables = EventTables()
    var input = events(
      [("a", nil, 160, "/both"), ("a", nil, 100, "/tail"), ("a", nil, 160, "/both")],
      tables: &tables)
    input[1].isCarried = true
    input[2].isCarried = true
    let output = sessionize(input, tables: tables)
    #expect(output.duplicates == 1)
    #expect(output.batch.sessions.map(\.eventCount) == [2])
    #expect(output.batch.events.map { tables.names.string($0.name) } == ["/tail", "/both"])
    #expect(output.batch.events.map(\.isCarried) == [true, false])
  }

  @Test func maxDurationAndSourceChangeSplit() {
    var tables = EventTables()
    var input = events(
      [("a", nil, 0, "/"), ("a", nil, 600, "/"), ("a", nil, 1200, "/"), ("a", nil, 1500, "/")],
      tables: &tables)
    var spec = SessionSpec()
    spec.maxDurationSeconds = 1000
    #expect(sessionize(input, spec: spec, tables: tables).batch.sessions.count == 2)
    input[0].source = tables.sources.intern("google")
    input[3].source = tables.sources.intern("newsletter")
    var bySource = SessionSpec()
    bySource.splitOnSourceChange = true
    let split = sessionize(input, spec: bySource, tables: tables).batch.sessions
    #expect(split.map(\.eventCount) == [3, 1])
  }

  @Test func stitchingMapsEarlierAnonymousEventsToTheUser() {
    var tables = EventTables()
    let input = events(
      [
        ("anon1", nil, 0, "/"), ("anon1", nil, 60, "/signup"), ("anon1", "u1", 120, "/account"),
        (nil, "u1", 600, "Support Call"), ("anon2", nil, 10_000, "/"),
      ], tables: &tables)
    let stitcher = IdentityStitcher(events: [input], idCount: tables.ids.count)
    #expect(stitcher.stitchedAnonymousIds == 1)
    let sessionizer = Sessionizer(
      spec: SessionSpec(), goals: GoalMasks(goals: [], names: tables.names))
    let output = sessionizer.run(events: input, keys: input.map(stitcher.key))
    let sessions = output.batch.sessions
    #expect(sessions.count == 2)
    let user = sessions.first { $0.visitor.isUser }
    #expect(user?.eventCount == 4)
    #expect(user?.user == tables.ids.lookup("u1"))
    #expect(user?.identifiedAt == 2)
  }

  @Test func sharedDeviceMapsToTheMostRecentUser() {
    var tables = EventTables()
    let input = events(
      [("shared", "u1", 0, "/"), ("shared", "u2", 90_000, "/"), ("shared", nil, 200_000, "/")],
      tables: &tables)
    let stitcher = IdentityStitcher(events: [input], idCount: tables.ids.count)
    #expect(stitcher.anonymousIdsWithSeveralUsers == 1)
    #expect(stitcher.key(input[2]) == VisitorKey(id: tables.ids.lookup("u2") ?? 0, isUser: true))
  }

  @Test(arguments: [2, 3, 8])
  func stitchingIsTheSameOnAnyNumberOfThreads(threads: Int) {
    // Many anonymous ids, some on shared devices, spread over several files.
    var tables = EventTables()
    let files = files(3, rows: 200, tables: &tables) { file, index in
      let user: String? = index % 3 == 0 ? "u\((index + file) % 11)" : nil
      return ("a\(index % 37)", user, Int64(file * 1000 + index), "/")
    }
    let one = IdentityStitcher(events: files, idCount: tables.ids.count, threads: 1)
    let many = IdentityStitcher(events: files, idCount: tables.ids.count, threads: threads)
    #expect(one.stitchedAnonymousIds > 0)
    #expect(one.anonymousIdsWithSeveralUsers > 0)
    #expect(many.userOf == one.userOf)
    #expect(many.stitchedAnonymousIds == one.stitchedAnonymousIds)
    #expect(many.anonymousIdsWithSeveralUsers == one.anonymousIdsWithSeveralUsers)
  }

  @Test func goalsAndBounce() {
    var tables = EventTables()
    var input = events([("a", nil, 0, "/"), ("b", nil, 0, "/pricing")], tables: &tables)
    input.append(
      Event(
        time: 30_000, anonymousId: tables.ids.intern("b"), userId: 0,
        name: tables.names.intern("Signed Up"), kind: .track))
    let goals = [
      GoalSpec(name: "signup", event: "Signed Up"), GoalSpec(name: "p", page: "/pricing"),
    ]
    let sessionizer = Sessionizer(
      spec: SessionSpec(), goals: GoalMasks(goals: goals, names: tables.names))
    let output = sessionizer.run(events: input, keys: input.map(IdentityStitcher.deviceKey))
    #expect(output.batch.sessions.map(\.isBounce) == [true, false])
    #expect(output.batch.sessions.map(\.goals) == [0, 3])
  }

  /// Each session of a stage's output (its position in the batch set to 0) with its
  /// events, in (visitor, start) order.
  static func sessionsWithEvents(_ batches: [SessionBatch]) -> [(Session, [SessionEvent])] {
    var rows: [(Session, [SessionEvent])] = []
    for batch in batches {
      for session in batch.sessions {
        var placed = session
        placed.firstEvent = 0
        rows.append((placed, Array(batch.events[session.eventRange])))
      }
    }
    rows.sort { ($0.0.visitor, $0.0.start) < ($1.0.visitor, $1.0.start) }
    return rows
  }

  @Test(arguments: [1, 2, 5])
  func theStageCutsTheSameSessionsAsOneSessionizerOverAllFiles(threads: Int) throws {
    // Three files; visitors span files, one user stitches anonymous ids from several
    // files, identify calls only stitch, and a message id repeats across files.
    var tables = EventTables()
    var files = files(3, rows: 300, tables: &tables) { file, index in
      let user: String? = index % 5 == 0 ? "u\((index + file) % 13)" : nil
      let seconds = Int64((index * 977 + file * 30_000) % 400_000)
      return ("a\((index * 7 + file) % 53)", user, seconds, "/p\(index % 9)")
    }
    for file in files.indices { files[file][10].kind = .identify }
    // The same message in two files: the second copy is a duplicate.
    files[0][30].messageHash = 42
    files[1].append(files[0][30])
    var spec = PipelineSpec()
    spec.sessions.identity = .stitched
    let output = try SessionizeStage(spec: spec, threads: threads, keepsTails: true).run(
      SessionizeStage.Input(events: files.map { EventChunk($0) }, tables: tables))

    let stitcher = IdentityStitcher(events: files, idCount: tables.ids.count)
    let all = files.flatMap { $0 }.filter { $0.kind != .identify }
    var single = Sessionizer(
      spec: spec.sessions, goals: GoalMasks(goals: [], names: tables.names))
    single.keepsTails = true
    let expected = single.run(events: all, keys: all.map(stitcher.key))
    #expect(output.identifyEvents == 3)
    #expect(output.duplicates == expected.duplicates)
    #expect(output.duplicates >= 1)
    let sessions = Self.sessionsWithEvents(output.run.batches)
    #expect(sessions.count > 50)
    let one = Self.sessionsWithEvents([expected.batch])
    #expect(sessions.map(\.0) == one.map(\.0))
    #expect(sessions.map(\.1) == one.map(\.1))
    // Each partition keeps tails near its own latest end; saved against the run's end,
    // they are the same as one sessioniser's.
    func tails(_ batches: [SessionBatch]) -> [UInt8] {
      let run = SessionizedRun(tables: tables, goals: [], batches: batches)
      return SessionTails.collect(
        run, batchEnd: ChurnStage.latestEventTime(in: run), gapSeconds: spec.sessions.gapSeconds)
    }
    let saved = tails(output.run.batches)
    #expect(saved.filter { $0 == 10 }.count >= 2)
    #expect(saved == tails([expected.batch]))
  }
}
