import Testing

@testable import PolkuCore

@Suite struct PipelineSpecTests {
  func load(_ json: String) throws -> LoadedPipeline {
    let dir = IngestTestKit.makeTempDir()
    defer { OutputFolder.removeTree(dir) }
    try FileBytes.write(Array(json.utf8), to: "\(dir)/p.json")
    return try LoadedPipeline.load(path: "\(dir)/p.json")
  }

  func problems(_ json: String) -> String {
    do {
      _ = try load(json)
      return ""
    } catch let error as PolkuError {
      #expect(error.code == .config)
      return error.message
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func shippedPipelinesAreValid() throws {
    let root = URLPath.packageRoot
    for name in ["segment-web", "nginx-combined", "csv-touchpoints", "omnichannel", "ga4-bigquery"]
    {
      let loaded = try LoadedPipeline.load(path: "\(root)/Pipelines/\(name).json")
      #expect(loaded.spec.name == name)
      #expect(loaded.sha256.count == 64)
    }
  }

  /// `null` never quietly means a default: every key, at every level, refuses it.
  @Test func nullValuesAreRefusedWithTheirKeyPath() {
    let base = #"{"version": 1, "name": "x", "inputs": [{"format": "jsonl"}]"#
    let cases = [
      (#", "filters": {"exclude_status_from": null}}"#, #""exclude_status_from" at 'filters'"#),
      (#", "sessions": {"gap_seconds": null}}"#, #""gap_seconds" at 'sessions'"#),
      (#", "churn": null}"#, #""churn" at '(root)'"#),
    ]
    for (rest, named) in cases {
      let message = problems(base + rest)
      #expect(message.contains(named) && message.contains("is null"), "\(message)")
    }
    let inInput = problems(
      #"{"version": 1, "name": "x", "inputs": [{"format": "jsonl", "files": null}]}"#)
    #expect(inInput.contains(#""files" at 'inputs[0]' is null"#), "\(inInput)")
  }

  @Test func effectiveJSONDecodesToTheSameSpec() throws {
    let root = URLPath.packageRoot
    for name in ["segment-web", "nginx-combined", "csv-touchpoints", "omnichannel", "ga4-bigquery"]
    {
      let loaded = try LoadedPipeline.load(path: "\(root)/Pipelines/\(name).json")
      let again = try load(try loaded.spec.effectiveJSON())
      #expect(again.spec == loaded.spec, "\(name)")
      // Defaults the file leaves out are spelled out.
      #expect(try loaded.spec.effectiveJSON().contains("\"gap_seconds\""))
    }
  }

  @Test func unknownKeysAreRejectedWithTheirPath() {
    let message = problems(
      #"{"version":1,"inputs":[{"format":"jsonl","formt":"x","fields":{"timestamp":"t","user_id":"u"}}]}"#
    )
    #expect(message.contains("\"formt\""))
    #expect(message.contains("inputs"))
    let nested = problems(
      #"{"version":1,"inputs":[{"format":"csv","fields":{"timestamp":"t","user_id":"u"}}],"sessions":{"gap_minutes":5}}"#
    )
    #expect(nested.contains("gap_minutes") && nested.contains("sessions"))
  }

  @Test func validationListsEveryProblem() {
    let message = problems(
      #"""
      {"version":2,"inputs":[{"format":"csv","fields":{"page":"p","colour":"c"},"timestamp_format":"julian"}],
       "sessions":{"gap_seconds":0},"quality":{"max_bad_row_ratio":2},
       "pages":{"rewrites":[{"pattern":"([","replacement":"x"}]},
       "goals":[{"name":"g"},{"name":"g","event":"E"}]}
      """#)
    for fragment in [
      "version: must be 1", "inputs[0].fields.timestamp: required", "inputs[0].fields.colour",
      "inputs[0].timestamp_format", "sessions.gap_seconds", "quality.max_bad_row_ratio",
      "pages.rewrites[0].pattern", "goals[0]: needs", "duplicate goal", "anonymous_id or user_id",
    ] {
      #expect(message.contains(fragment), "missing: \(fragment)\n\(message)")
    }
  }

  @Test func malformedJSONFieldPathsAreReportedWithTheirKeyPath() {
    let message = problems(
      #"""
      {"version":1,"inputs":[{"format":"jsonl","files":"*.json","fields":{"timestamp":"t",
       "user_id":"u","page":"event_params[key=].value","source":"a[key=x.b","referrer":"a]|b",
       "event":"x||y"}},
       {"format":"csv","fields":{"timestamp":"t","user_id":"u","page":"p[key=]"}}]}
      """#)
    for fragment in [
      "inputs[0].fields.page: malformed path \"event_params[key=].value\": empty value",
      "inputs[0].fields.source: malformed path \"a[key=x.b\": `[` without `]`",
      "inputs[0].fields.referrer: malformed path \"a]|b\": `]` without `[`",
      "inputs[0].fields.event: malformed path \"x||y\": empty alternative",
    ] {
      #expect(message.contains(fragment), "missing: \(fragment)\n\(message)")
    }
    // CSV fields are header names: brackets there are not selectors.
    #expect(!message.contains("inputs[1]"), "\(message)")
  }

  @Test func wrongTypesAndBrokenJSONAreReported() {
    #expect(problems(#"{"version":1,"inputs":"x"}"#).contains("inputs"))
    #expect(!problems(#"{"version":1,"#).isEmpty)
    #expect(problems(#"{"inputs":[]}"#).contains("version"))
  }

  @Test func missingFileIsNoInput() {
    do {
      _ = try LoadedPipeline.load(path: "/nonexistent/p.json")
      Issue.record("expected an error")
    } catch let error as PolkuError {
      #expect(error.code == .noInput)
      #expect(error.message.contains("/nonexistent/p.json"))
    } catch {
      Issue.record("unexpected \(error)")
    }
  }
}

/// Paths relative to the package, found from this file's location.
enum URLPath {
  static var packageRoot: String {
    var parts = #filePath.split(separator: "/").map(String.init)
    parts.removeLast(3)  // Tests/PolkuCoreTests/File.swift
    return "/" + parts.joined(separator: "/")
  }
}
