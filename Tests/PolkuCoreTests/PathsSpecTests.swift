import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

@Suite struct PathsSpecTests {
  func decode(_ json: String) throws -> PathsSpec {
    try JSONDecoder().decode(PathsSpec.self, from: Data(json.utf8))
  }

  @Test func emptySectionGivesTheDocumentedDefaults() throws {
    let spec = try decode("{}")
    #expect(spec == PathsSpec())
    #expect(spec.stepLabel == .auto && spec.collapseRepeats && spec.maxSteps == 5)
    #expect(spec.minSupport == .init(0.01) && spec.goalPaths.steps == 4 && spec.goalPaths.top == 20)
    #expect(spec.transitions.minCount == 1 && spec.transitions.top == 200)
    #expect(spec.patterns.enabled && spec.patterns.minSupport == .init(0.01))
    #expect(
      spec.patterns.minLength == 2 && spec.patterns.maxLength == 5 && !spec.patterns.closedOnly)
    #expect(
      spec.summaryTop == 10 && spec.group.isEmpty && spec.exclude.isEmpty && spec.funnels.isEmpty)
    #expect(spec.validate(path: "paths").isEmpty)
  }

  @Test func decodesEveryKey() throws {
    let spec = try decode(
      """
      {"step_label": "channel_name", "collapse_repeats": false,
       "group": [{"pattern": "^/p/[0-9]+$", "label": "/p/:id"}], "exclude": ["^/health"],
       "max_steps": 4, "min_support": 25, "goal_paths": {"steps": 3, "top": 0},
       "funnels": [{"name": "f", "steps": ["/", "/p/:id"], "within_seconds": 600, "count": "visitors"}],
       "transitions": {"min_count": 5, "top": 50},
       "patterns": {"enabled": false, "min_support": 0.005, "min_length": 1, "max_length": 3,
                    "closed_only": true},
       "summary_top": 3}
      """)
    #expect(spec.stepLabel == .channelName && !spec.collapseRepeats)
    #expect(
      spec.group == [.init(pattern: "^/p/[0-9]+$", label: "/p/:id")] && spec.exclude == ["^/health"]
    )
    #expect(spec.maxSteps == 4 && spec.minSupport.threshold(sessions: 1000) == 25)
    #expect(spec.goalPaths.steps == 3 && spec.goalPaths.top == 0)
    #expect(
      spec.funnels == [
        .init(name: "f", steps: ["/", "/p/:id"], withinSeconds: 600, count: .visitors)
      ])
    #expect(spec.transitions.minCount == 5 && spec.transitions.top == 50)
    #expect(!spec.patterns.enabled && spec.patterns.minSupport.threshold(sessions: 1000) == 5)
    #expect(
      spec.patterns.minLength == 1 && spec.patterns.maxLength == 3 && spec.patterns.closedOnly)
    #expect(spec.summaryTop == 3)
    #expect(spec.validate(path: "paths").isEmpty)
  }

  @Test(arguments: [
    ("{\"max_step\": 3}", "unknown key(s) \"max_step\" at '(root)'"),
    ("{\"patterns\": {\"closed\": true}}", "unknown key(s) \"closed\" at 'patterns'"),
    ("{\"funnels\": [{\"name\": \"f\", \"steps\": [], \"within\": 1}]}", "at 'funnels[0]'"),
    ("{\"group\": [{\"pattern\": \"x\", \"label\": \"y\", \"alias\": \"z\"}]}", "at 'group[0]'"),
    ("{\"transitions\": {\"mincount\": 1}}", "at 'transitions'"),
    ("{\"goal_paths\": {\"k\": 1}}", "at 'goal_paths'"),
  ])
  func rejectsUnknownKeysWithTheirPath(json: String, message: String) {
    do {
      _ = try decode(json)
      Issue.record("accepted \(json)")
    } catch {
      #expect("\(error)".contains(message), "\(error)")
    }
  }

  @Test func validateListsEveryProblem() {
    var spec = PathsSpec()
    spec.maxSteps = 1
    spec.minSupport = .init(1.5)
    spec.group = [.init(pattern: "(", label: "")]
    spec.exclude = ["[z-a]"]
    spec.goalPaths.steps = 0
    spec.funnels = [
      .init(name: "f", steps: ["/"], withinSeconds: 0), .init(name: "f", steps: ["/", ""]),
    ]
    spec.transitions.minCount = 0
    spec.patterns.minSupport = .init(0)
    spec.patterns.maxLength = 30
    spec.summaryTop = -1
    let problems = spec.validate(path: "paths")
    let expected = [
      "paths.group[0].pattern: invalid regular expression",
      "paths.group[0].label: must not be empty",
      "paths.exclude[0]: invalid regular expression",
      "paths.max_steps: must be 2...10, got 1",
      "paths.min_support: must be a whole number of sessions >= 1 or a fraction 0 < f < 1, got 1.5",
      "paths.goal_paths.steps: must be 1...10, got 0",
      "paths.funnels[0].steps: must have 2...20 steps, got 1",
      "paths.funnels[0].within_seconds: must be >= 1, got 0",
      "paths.funnels[1].name: duplicate funnel name \"f\"",
      "paths.funnels[1].steps[1]: must not be empty",
      "paths.transitions.min_count: must be >= 1, got 0",
      "paths.patterns.min_support: must be a whole number of sessions >= 1 or a fraction 0 < f < 1, got 0.0",
      "paths.patterns.max_length: must be 1...20, got 30",
      "paths.summary_top: must be 0...1000, got -1",
    ]
    #expect(problems.count == expected.count, "\(problems)")
    for (problem, prefix) in zip(problems, expected) {
      #expect(problem.hasPrefix(prefix), "\(problem)")
    }
  }

  @Test func supportEncodesAsWritten() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var spec = PathsSpec.Patterns()
    spec.minSupport = .init(40)
    let text = String(decoding: try encoder.encode(spec), as: UTF8.self)
    #expect(text.contains("\"min_support\":40"))
  }
}
