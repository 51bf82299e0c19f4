import Testing

@testable import PolkuCore

@Suite struct PathsMinerTests {
  /// Four sessions worked out by hand:
  /// 1: /a@0 /b@10 /c@30 · 2: /a@0 /b@20 Signed Up@25 /d@40 · 3: /a@0 /b@5 /b@6 /c@15 ·
  /// 4: identify@0 /x@3.
  func fixture() -> RunFixture {
    var fixture = RunFixture(goals: [GoalSpec(name: "signup", event: "Signed Up")])
    fixture.timedSession(1, [("/a", 0), ("/b", 10), ("/c", 30)])
    fixture.timedSession(2, [("/a", 0), ("/b", 20), ("!Signed Up", 25), ("/d", 40)])
    fixture.timedSession(3, [("/a", 0), ("/b", 5), ("/b", 6), ("/c", 15)])
    fixture.timedSession(4, at: 100, [("?", 0), ("/x", 3)])
    return fixture
  }

  func spec() -> PathsSpec {
    var spec = PathsSpec()
    spec.minSupport = .init(2)
    spec.maxSteps = 3
    spec.patterns.minSupport = .init(2)
    return spec
  }

  @Test func journeysAreExact() {
    var fixture = fixture()
    let report = fixture.mine(spec())
    #expect(
      report.text(of: "journeys.csv") == """
        steps,length,support,occurrences,share,signup_conversions,signup_rate,\
        first_identified_conversions,first_identified_rate,median_seconds
        /a > /b,2,3,3,0.7500,1,0.3333,0,0.0000,10.0
        /b > /c,2,2,2,0.5000,0,0.0000,0,0.0000,15.0
        /a > /b > /c,3,2,2,0.5000,0,0.0000,0,0.0000,22.5

        """)
    #expect(report.summary.journeyCount == 3)
    #expect(report.summary.topJourneys.first?.steps == ["/a", "/b"])
    #expect(report.summary.sessions == 4 && report.summary.sessionsWithSteps == 4)
  }

  @Test func fractionalMinSupportRoundsUp() {
    var fixture = fixture()
    var spec = spec()
    spec.minSupport = .init(0.6)  // ceil(0.6 × 4) = 3
    let report = fixture.mine(spec)
    #expect(report.summary.journeyMinSupport == 3)
    #expect(report.files[0].rows == 1)
  }

  @Test func goalPathsIncludeFirstIdentified() {
    var fixture = fixture()
    let report = fixture.mine(spec())
    #expect(
      report.text(of: "goal_paths.csv") == """
        goal,path,steps,conversions,share,median_seconds_to_goal
        signup,(start) > /a > /b,2,1,1.0000,25.0
        first_identified,(start),0,1,1.0000,0.0

        """)
    #expect(report.summary.goals.map(\.goal) == ["signup", "first_identified"])
    #expect(report.summary.goals[0].rate == 0.25)
  }

  @Test func goalPathsKeepTheLastStepsAndSumTheRest() {
    var fixture = RunFixture(goals: [GoalSpec(name: "buy", page: "/done")])
    fixture.session(1, "/a", "/b", "/c", "/done")
    fixture.session(2, "/a", "/b", "/c", "/done")
    fixture.session(3, "/z", "/b", "/c", "/done")
    fixture.session(4, "/c", "/done")
    fixture.session(5, "/y", "/done")
    var spec = PathsSpec()
    spec.goalPaths.steps = 2
    spec.goalPaths.top = 2
    let report = fixture.mine(spec)
    #expect(
      report.text(of: "goal_paths.csv") == """
        goal,path,steps,conversions,share,median_seconds_to_goal
        buy,/b > /c,2,3,0.6000,30.0
        buy,(start) > /c,1,1,0.2000,10.0
        buy,(other),,1,0.2000,10.0

        """)
  }

  @Test func transitionsListEveryEdgeAndAddUp() {
    var fixture = fixture()
    var spec = spec()
    spec.transitions.top = 0
    let report = fixture.mine(spec)
    #expect(
      report.text(of: "transitions.csv") == """
        source,target,count,share
        (start),/a,3,0.2000
        /a,/b,3,0.2000
        /b,/c,2,0.1333
        /c,(exit),2,0.1333
        (start),/x,1,0.0667
        /b,Signed Up,1,0.0667
        /d,(exit),1,0.0667
        /x,(exit),1,0.0667
        Signed Up,/d,1,0.0667

        """)
  }

  @Test(arguments: [(3, 1), (0, 2), (2, 3), (1, 1), (0, 1)])
  func cutTransitionsAreSummedIntoOther(top: Int, minCount: Int) throws {
    var fixture = fixture()
    var spec = spec()
    spec.transitions.top = top
    spec.transitions.minCount = minCount
    let report = fixture.mine(spec)
    let rows = try #require(report.text(of: "transitions.csv")).split(separator: "\n").dropFirst()
    let total = rows.reduce(0) { $0 + (Int($1.split(separator: ",")[2]) ?? -1000) }
    // 11 steps + one (start) edge per session with steps = 15 transitions.
    #expect(total == 15)
    if top == 3 && minCount == 1 {
      #expect(
        Array(rows) == [
          "(start),/a,3,0.2000", "/a,/b,3,0.2000", "/b,/c,2,0.1333", "(other),(other),3,0.2000",
          "/c,(other),2,0.1333", "(start),(other),1,0.0667", "/b,(other),1,0.0667",
        ])
    }
  }

  @Test func patternsAreGappedAndSorted() {
    var fixture = fixture()
    let report = fixture.mine(spec())
    #expect(
      report.text(of: "patterns.csv") == """
        pattern,length,support,share
        /a > /b,2,3,0.7500
        /a > /c,2,2,0.5000
        /b > /c,2,2,0.5000
        /a > /b > /c,3,2,0.5000

        """)
    #expect(report.summary.patternCount == 4 && report.summary.patternMinSupport == 2)
  }

  @Test func repeatsCollapseUnlessTurnedOff() {
    var fixture = fixture()
    var spec = spec()
    spec.collapseRepeats = false
    let report = fixture.mine(spec)
    let journeys = report.text(of: "journeys.csv") ?? ""
    #expect(journeys.contains("\n/a > /b,2,3,3,"))
    #expect(journeys.contains("\n/b > /c,2,2,2,"))
    #expect(!journeys.contains("/a > /b > /c"))  // session 3 is now /a /b /b /c
    #expect(report.text(of: "transitions.csv")?.contains("\n/b,/b,1,") == true)
  }

  @Test func groupingAndExclusion() {
    var fixture = fixture()
    var spec = spec()
    spec.group = [.init(pattern: "^/[cd]$", label: "/end")]
    var report = fixture.mine(spec)
    #expect(
      report.text(of: "journeys.csv")?.split(separator: "\n").dropFirst().map {
        String($0.split(separator: ",")[0])
      } == ["/a > /b", "/b > /end", "/a > /b > /end"])
    spec.group = []
    spec.exclude = ["^/b$"]
    report = fixture.mine(spec)
    #expect(
      report.text(of: "journeys.csv")?.split(separator: "\n").dropFirst().map {
        String($0.split(separator: ",")[0])
      } == ["/a > /c"])
  }

  @Test func stepsAreLabelledByChannelWhenChannelsMix() {
    var fixture = RunFixture()
    fixture.session(1, "web|/a", "email|~Clicked", "web|/a")
    fixture.session(2, "web|/a", "email|~Clicked")
    var spec = PathsSpec()
    spec.minSupport = .init(2)
    let report = fixture.mine(spec)
    #expect(report.summary.stepLabel == "channel_name")
    #expect(report.text(of: "journeys.csv")?.contains("\nweb:/a > email:Clicked,2,2,2,") == true)
    spec.stepLabel = .name
    let plain = fixture.mine(spec)
    #expect(plain.text(of: "journeys.csv")?.contains("\n/a > Clicked,2,2,2,") == true)
  }

  /// An exclusion written from what journeys.csv shows (`web:/a`) drops that step on that
  /// channel only; one on the bare name drops it on every channel.
  @Test func exclusionsMatchTheLabelsTheOutputsShow() {
    var fixture = RunFixture()
    fixture.session(1, "web|/a", "email|/a", "web|/b", "email|~Clicked")
    fixture.session(2, "web|/a", "email|/a", "web|/b", "email|~Clicked")
    var spec = PathsSpec()
    spec.minSupport = .init(2)
    spec.maxSteps = 2
    func journeys(_ exclude: [String]) -> [String] {
      spec.exclude = exclude
      let report = fixture.mine(spec)
      return report.text(of: "journeys.csv")?.split(separator: "\n").dropFirst().map {
        String($0.split(separator: ",")[0])
      } ?? []
    }
    #expect(journeys([]) == ["email:/a > web:/b", "web:/a > email:/a", "web:/b > email:Clicked"])
    #expect(journeys(["^web:/a$"]) == ["email:/a > web:/b", "web:/b > email:Clicked"])
    // Dropped steps close up: web:/a and web:/b become neighbours.
    #expect(journeys(["^email:"]) == ["web:/a > web:/b"])
    #expect(journeys(["^/a$"]) == ["web:/b > email:Clicked"])
  }

  @Test func sameBytesWhateverTheBatchingAndThreads() {
    var fixture = RunFixture(goals: [
      GoalSpec(name: "signup", event: "Signed Up"), GoalSpec(name: "buy", page: "/checkout"),
    ])
    var state: UInt32 = 2024
    func next(_ bound: Int) -> Int {
      state = state &* 1_103_515_245 &+ 12345
      return Int(state >> 16) % bound
    }
    let pages = ["/", "/pricing", "/docs", "/blog", "/checkout", "!Signed Up", "?", "/about"]
    for visitor in 0..<80 {
      for session in 0..<(1 + next(3)) {
        let events = (0..<(1 + next(9))).map { _ in (pages[next(pages.count)], Int64(next(600))) }
        fixture.timedSession(
          UInt32(visitor), at: Int64(session) * 86_400, events.sorted { $0.1 < $1.1 })
      }
    }
    var spec = PathsSpec()
    spec.minSupport = .init(3)
    spec.patterns.minSupport = .init(0.05)
    spec.transitions.top = 10
    spec.funnels = [
      .init(name: "s", steps: ["/", "/pricing", "Signed Up"], withinSeconds: 300),
      .init(name: "v", steps: ["/pricing", "/checkout"], count: .visitors),
    ]
    let reference = fixture.mine(spec, batches: 1, threads: 1)
    for threads in [1, 2, 5] {
      let split = fixture.mine(spec, batches: 7, unitSize: 3, threads: threads)
      #expect(reference.files.map(\.name) == split.files.map(\.name))
      for (a, b) in zip(reference.files, split.files) {
        #expect(a.bytes == b.bytes, "\(a.name) differs with \(threads) thread(s)")
        #expect(a.rows > 0, "\(a.name) is empty")
      }
      #expect(reference.summary == split.summary)
    }
  }

  /// Longer journeys are only counted through frequent step pairs; that must not lose any
  /// journey that reaches the threshold.
  @Test func pairPruningKeepsEveryFrequentJourney() throws {
    var fixture = RunFixture()
    var state: UInt32 = 7
    func next(_ bound: Int) -> Int {
      state = state &* 1_103_515_245 &+ 12345
      return Int(state >> 16) % bound
    }
    for visitor in 0..<300 {
      let events = (0..<(2 + next(8))).map { index in
        ("/p\(min(next(8), next(8)))", Int64(index) * 7)
      }
      fixture.timedSession(UInt32(visitor), events)
    }
    var spec = PathsSpec()
    spec.patterns.enabled = false
    spec.minSupport = .init(1)
    let all = try #require(fixture.mine(spec).text(of: "journeys.csv"))
    spec.minSupport = .init(6)
    let pruned = try #require(fixture.mine(spec).text(of: "journeys.csv"))
    let lines = all.split(separator: "\n")
    let expected =
      [lines[0]] + lines.dropFirst().filter { (Int($0.split(separator: ",")[2]) ?? 0) >= 6 }
    #expect(pruned.split(separator: "\n") == expected)
    #expect(expected.contains { $0.split(separator: ",")[1] == "3" })
    #expect(expected.count < lines.count / 4)
  }
}
