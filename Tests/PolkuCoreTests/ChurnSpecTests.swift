import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

@Suite struct ChurnSpecTests {
  static func decode(_ json: String) throws -> ChurnSpec {
    try JSONDecoder().decode(ChurnSpec.self, from: Data(json.utf8))
  }

  @Test func defaultsAndFullDecode() throws {
    let empty = try Self.decode("{}")
    #expect(empty == ChurnSpec())
    #expect(empty.windowDays == 90 && empty.recentDays == 14 && empty.baselineDays == 28)
    #expect(empty.bands.high == 0.7 && empty.bands.medium == 0.4)
    #expect(empty.validate(path: "churn").isEmpty)
    let full = try Self.decode(
      """
      {"window_days": 60, "recent_days": 7, "baseline_days": 21, "decline_threshold": 0.6,
       "touchpoints": [{"name": "cancel", "page": "/account/cancel"},
                       {"name": "complaint", "channel": "call_center", "event": "Complaint"}],
       "paths": [{"name": "j", "steps": ["/account", "/account/cancel"]}],
       "weights": {"decline": 1, "p_alive": 0}, "bands": {"high": 0.8}}
      """)
    #expect(full.windowDays == 60 && full.touchpoints[1].channel == "call_center")
    #expect(full.weights.decline == 1 && full.weights.pAlive == 0 && full.weights.recency == 0.2)
    #expect(full.bands.high == 0.8 && full.bands.medium == 0.4)
    #expect(full.validate(path: "churn").isEmpty)
  }

  @Test(arguments: [
    #"{"window_day": 90}"#, #"{"touchpoints": [{"name": "x", "pages": "/a"}]}"#,
    #"{"weights": {"pAlive": 1}}"#, #"{"bands": {"low": 0.1}}"#,
    #"{"paths": [{"name": "p", "steps": ["/a", "/b"], "gap": 1}]}"#,
  ])
  func unknownKeysAreRejected(json: String) {
    #expect(throws: (any Error).self) { try Self.decode(json) }
  }

  @Test func validateListsEveryProblem() {
    var spec = ChurnSpec()
    spec.windowDays = 30
    spec.declineThreshold = 0
    spec.touchpoints = [.init(name: "score", page: "/a", event: "B"), .init(name: "t")]
    spec.paths = [.init(name: "t", steps: ["/a"])]
    spec.weights.decline = -1
    spec.bands.medium = 0.9
    let issues = spec.validate(path: "churn")
    #expect(issues.count == 9, "\(issues)")
    #expect(issues.contains { $0.contains("recent_days + baseline_days (42)") })
    #expect(issues.contains { $0.contains("\"score\" is used twice or is a fixed column") })
    #expect(issues.contains { $0.contains("churn.paths[0]: ") || $0.contains("churn.paths[0].") })
  }
}
