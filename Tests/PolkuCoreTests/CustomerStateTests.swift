import Testing

@testable import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct CustomerStateTests {
  /// A fresh state folder per test (tests run in parallel).
  static func tempDir(_ tag: String) -> String {
    var template = Array("/tmp/polku-state-\(tag)-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return "/tmp/polku-\(tag)" }
      return String(cString: base)
    }
  }

  static func night(_ day: Int64) -> SessionizedRun {
    var b = RunBuilder()
    b.session(user: "alice", day: day, steps: ["/home", "/account/cancel"], goals: 1)
    b.session(user: "alice", day: day, hour: 18)
    b.session(user: "bob\tx,y:z%", day: day, steps: ["Payment Failed"])
    b.session(user: nil, anonymous: "a1", day: day)
    return b.build(goals: [GoalSpec(name: "signup", event: "Signed Up")])
  }

  static var spec: ChurnSpec {
    var spec = ChurnSpec()
    spec.touchpoints = [
      .init(name: "cancel", page: "/account/cancel"),
      .init(name: "pay:fail", event: "Payment Failed"),
    ]
    return spec
  }

  static func input(_ n: Int) -> InputFingerprint {
    InputFingerprint(path: "/in/night-\(n).jsonl.gz", size: Int64(1000 + n), hash: "h\(n)")
  }

  @Test func foldCountsDaysGoalsAndSignals() throws {
    var state = CustomerState()
    let result = try state.fold(
      Self.night(100), inputs: [Self.input(1)], spec: Self.spec,
      now: 100 * 86_400_000 + 86_000_000)
    #expect(result.sessions == 3 && result.anonymousSessions == 1 && result.newCustomers == 2)
    let alice = try #require(state.customer("alice"))
    #expect(alice.days == [DayActivity(day: 100, sessions: 2, events: 3)])
    #expect(alice.activeDays == 1 && alice.goals == [1])
    #expect(alice.signals == [1])
    #expect(state.customer("bob\tx,y:z%")?.signals == [0, 1])
  }

  @Test func saveLoadRoundTripsAndRefoldIsNoOp() throws {
    let dir = Self.tempDir("roundtrip")
    defer { IngestTestKit.remove(dir) }
    var state = try CustomerState.load(from: dir)
    #expect(state.customers.isEmpty)
    _ = try state.fold(
      Self.night(100), inputs: [Self.input(1)], spec: Self.spec, now: 100 * 86_400_000)
    state.sessionTails = [1, 2, 3]
    try state.save(to: dir)
    var loaded = try CustomerState.load(from: dir)
    #expect(loaded.customers.count == 2)
    #expect(loaded.customer("bob\tx,y:z%") == state.customer("bob\tx,y:z%"))
    #expect(loaded.customer("alice") == state.customer("alice"))
    #expect(loaded.sessionTails == [1, 2, 3] && loaded.generation == 1)

    let again = try loaded.fold(
      Self.night(100), inputs: [Self.input(1)], spec: Self.spec,
      now: 100 * 86_400_000)
    #expect(again.alreadyFolded)
    #expect(loaded.customer("alice")?.sessions == 2)
    #expect(throws: PolkuError.self) {
      try loaded.fold(
        Self.night(101), inputs: [Self.input(1), Self.input(2)], spec: Self.spec,
        now: 101 * 86_400_000)
    }
    _ = try loaded.fold(
      Self.night(101), inputs: [Self.input(2)], spec: Self.spec, now: 101 * 86_400_000)
    #expect(loaded.customer("alice")?.activeDays == 2)
    try loaded.save(to: dir)
    #expect(try DurableFiles.list(dir) == ["CURRENT", "gen-2"])
    let text = String(
      decoding: try DurableFiles.readFile(dir + "/gen-2/customers.tsv") ?? [], as: UTF8.self)
    #expect(
      text.contains(
        "alice\t1970-04-11T12:00:00.000Z\t1970-04-12T18:00:00.000Z\t2\t4\t6\t1970-04-11:2:3,1970-04-12:2:3\tsignup:2\tcancel:2\t"
      ))
    #expect(text.contains("bob%09x%2Cy%3Az%25\t"))
    #expect(text.contains("pay%3Afail:2"))
  }

  @Test func windowDropsOldDays() throws {
    var state = CustomerState()
    var spec = Self.spec
    spec.windowDays = 60
    spec.recentDays = 10
    spec.baselineDays = 20
    _ = try state.fold(Self.night(100), inputs: [], spec: spec, now: 100 * 86_400_000)
    _ = try state.fold(Self.night(170), inputs: [], spec: spec, now: 170 * 86_400_000)
    let alice = try #require(state.customer("alice"))
    #expect(alice.days.map(\.day) == [170] && alice.activeDays == 2 && alice.sessions == 4)
    #expect(alice.signalDays.map(\.day) == [170] && alice.signals == [2])
  }

  @Test(arguments: SaveStep.allCases)
  func crashLeavesPreviousGenerationReadable(step: SaveStep) throws {
    let dir = Self.tempDir("crash")
    defer { IngestTestKit.remove(dir) }
    var state = CustomerState()
    _ = try state.fold(
      Self.night(100), inputs: [Self.input(1)], spec: Self.spec, now: 100 * 86_400_000)
    try state.save(to: dir)
    var next = try CustomerState.load(from: dir)
    _ = try next.fold(
      Self.night(101), inputs: [Self.input(2)], spec: Self.spec, now: 101 * 86_400_000)
    #expect(throws: SimulatedCrash.self) { try next.save(to: dir, stoppingAfter: step) }

    let after = try CustomerState.load(from: dir)
    let switched = step == .pointerSwitched
    #expect(after.customer("alice")?.sessions == (switched ? 4 : 2))
    #expect(after.folded.count == (switched ? 2 : 1))

    // The next run ignores and then removes the leftovers.
    var third = after
    _ = try third.fold(
      Self.night(102), inputs: [Self.input(3)], spec: Self.spec, now: 102 * 86_400_000)
    try third.save(to: dir)
    let names = try DurableFiles.list(dir)
    #expect(names.count == 2 && names[0] == "CURRENT" && names[1].hasPrefix("gen-"))
    #expect(try CustomerState.load(from: dir).customer("alice")?.sessions == (switched ? 6 : 4))
  }

  @Test func damagedStateIsAnErrorNotEmpty() throws {
    let dir = Self.tempDir("damaged")
    defer { IngestTestKit.remove(dir) }
    var state = CustomerState()
    _ = try state.fold(Self.night(100), inputs: [], spec: Self.spec, now: 100 * 86_400_000)
    try state.save(to: dir)
    try DurableFiles.writeFile(Array("gen-9\n".utf8), to: dir + "/CURRENT")
    #expect(throws: PolkuError.self) { try CustomerState.load(from: dir) }
  }
}
