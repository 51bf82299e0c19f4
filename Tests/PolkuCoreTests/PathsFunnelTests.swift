import Testing

@testable import PolkuCore

@Suite struct PathsFunnelTests {
  /// Visitor 1 converts within one session, visitor 2 across two sessions a day apart,
  /// visitor 3 reaches /pricing only after the limit, visitor 4 never enters.
  func fixture() -> RunFixture {
    var fixture = RunFixture()
    fixture.timedSession(1, [("/", 0), ("/blog", 5), ("/pricing", 20), ("!Signed Up", 50)])
    fixture.timedSession(2, [("/", 0), ("/pricing", 40)])
    fixture.timedSession(2, at: 86_400, [("!Signed Up", 0)])
    fixture.timedSession(3, [("/", 0), ("/docs", 100), ("/", 500), ("/pricing", 530)])
    fixture.timedSession(4, [("/docs", 0)])
    return fixture
  }

  func mine(_ funnel: PathsSpec.Funnel) -> String {
    var fixture = fixture()
    var spec = PathsSpec()
    spec.funnels = [funnel]
    return fixture.mine(spec).text(of: "funnels.csv") ?? ""
  }

  let header =
    "funnel,count,step_index,step,reached,dropped,conversion_from_start,"
    + "conversion_from_previous,median_seconds_from_previous\n"

  @Test func sessionsWithGaps() {
    let csv = mine(.init(name: "signup", steps: ["/", "/pricing", "Signed Up"]))
    #expect(
      csv == header + """
        signup,sessions,1,/,3,0,1.0000,1.0000,
        signup,sessions,2,/pricing,3,0,1.0000,1.0000,40.0
        signup,sessions,3,Signed Up,1,2,0.3333,0.3333,30.0

        """)
  }

  @Test func withinSecondsTriesEveryEntry() {
    // Visitor 3's first "/" is 530 s before /pricing, the second only 30 s.
    let csv = mine(.init(name: "quick", steps: ["/", "/pricing"], withinSeconds: 35))
    #expect(
      csv == header + """
        quick,sessions,1,/,3,0,1.0000,1.0000,
        quick,sessions,2,/pricing,2,1,0.6667,0.6667,25.0

        """)
  }

  @Test func visitorsSpanSessions() {
    let csv = mine(.init(name: "v", steps: ["/", "/pricing", "Signed Up"], count: .visitors))
    #expect(
      csv == header + """
        v,visitors,1,/,3,0,1.0000,1.0000,
        v,visitors,2,/pricing,3,0,1.0000,1.0000,40.0
        v,visitors,3,Signed Up,2,1,0.6667,0.6667,43195.0

        """)
  }

  @Test func unknownStepsAreNeverReached() {
    var fixture = fixture()
    var spec = PathsSpec()
    spec.funnels = [.init(name: "x", steps: ["/", "/nowhere"])]
    let report = fixture.mine(spec)
    #expect(report.summary.funnels[0].entered == 3)
    #expect(report.summary.funnels[0].completed == 0)
    #expect(report.summary.funnels[0].steps[1].medianSecondsFromPrevious == nil)
  }
}
