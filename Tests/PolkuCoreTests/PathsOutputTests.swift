import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// How the path stage's values are written: the tables as CSV (``PathTablesCSV``) and the
/// summary as JSON, including the cases real runs rarely hit (missing medians, quoting).
@Suite struct PathsOutputTests {
  @Test func tablesWriteEmptyCellsForMissingMediansAndQuoteLabels() {
    var tables = PathTables(goalNames: ["buy", "first_identified"])
    let reach = [
      PathTables.GoalReach(conversions: 1, rate: 1.0 / 3), .init(conversions: 0, rate: 0),
    ]
    tables.journeys = [
      .init(
        steps: ["/a", "/b,c"], support: 3, occurrences: 4, share: 0.75, goals: reach,
        medianSeconds: nil)
    ]
    tables.goalPaths = [
      .init(
        goal: "buy", path: ["(start)", "/a"], steps: 1, conversions: 2, share: 2.0 / 3,
        medianSecondsToGoal: 12.345),
      .init(
        goal: "buy", path: nil, steps: 0, conversions: 1, share: 1.0 / 3,
        medianSecondsToGoal: nil),
    ]
    tables.funnels = [
      .init(
        funnel: "f", count: "visitors", index: 1, step: "Say \"hi\"", reached: 3, dropped: 0,
        conversionFromStart: 1, conversionFromPrevious: 1, medianSecondsFromPrevious: nil)
    ]
    tables.transitions = [.init(source: "(start)", target: "/a", count: 5, share: 1)]
    let files = PathTablesCSV.files(tables)
    #expect(
      files.map(\.name) == [
        "journeys.csv", "goal_paths.csv", "funnels.csv", "transitions.csv", "patterns.csv",
      ])
    #expect(files.map(\.rows) == [1, 2, 1, 1, 0])
    #expect(
      files.map(\.text) == [
        """
        steps,length,support,occurrences,share,buy_conversions,buy_rate,\
        first_identified_conversions,first_identified_rate,median_seconds
        "/a > /b,c",2,3,4,0.7500,1,0.3333,0,0.0000,

        """,
        """
        goal,path,steps,conversions,share,median_seconds_to_goal
        buy,(start) > /a,1,2,0.6667,12.3
        buy,(other),,1,0.3333,

        """,
        #"""
        funnel,count,step_index,step,reached,dropped,conversion_from_start,\#
        conversion_from_previous,median_seconds_from_previous
        f,visitors,1,"Say ""hi""",3,0,1.0000,1.0000,

        """#,
        """
        source,target,count,share
        (start),/a,5,1.0000

        """,
        """
        pattern,length,support,share

        """,
      ])
  }

  /// Synthesized `Encodable` would leave nil medians out; `summary.json` writes `null`.
  @Test func summaryWritesMissingMediansAsNull() throws {
    var summary = PathSummary()
    summary.topJourneys = [.init(steps: ["/a", "/b"], support: 2, share: 0.5, medianSeconds: nil)]
    summary.goals = [
      .init(
        goal: "buy", conversions: 1, rate: 0.25,
        topPaths: [.init(path: ["/a"], conversions: 1, share: 1, medianSecondsToGoal: nil)])
    ]
    summary.funnels = [
      .init(
        name: "f", count: "sessions", entered: 2, completed: 1, conversion: 0.5,
        steps: [
          .init(step: "/a", reached: 2, conversionFromStart: 1, medianSecondsFromPrevious: nil),
          .init(step: "/b", reached: 1, conversionFromStart: 0.5, medianSecondsFromPrevious: 7.5),
        ])
    ]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json = String(decoding: try encoder.encode(summary), as: UTF8.self)
    #expect(
      json == #"{"distinct_steps":0,"funnels":[{"completed":1,"conversion":0.5,"count":"sessions","#
        + #""entered":2,"name":"f","steps":[{"conversion_from_start":1,"#
        + #""median_seconds_from_previous":null,"reached":2,"step":"/a"},"#
        + #"{"conversion_from_start":0.5,"median_seconds_from_previous":7.5,"reached":1,"#
        + #""step":"/b"}]}],"goals":[{"conversions":1,"goal":"buy","rate":0.25,"top_paths":"#
        + #"[{"conversions":1,"median_seconds_to_goal":null,"path":["/a"],"share":1}]}],"#
        + #""journey_count":0,"journey_min_support":0,"pattern_count":0,"#
        + #""pattern_min_support":0,"sessions":0,"sessions_with_steps":0,"step_label":"name","#
        + #""top_journeys":[{"median_seconds":null,"share":0.5,"steps":["/a","/b"],"support":2}]}"#)
  }
}
