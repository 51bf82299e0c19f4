import PolkuCore

extension ExpectedAnswers {
  /// `expected.json`: stable key order, two-space indent, one trailing newline.
  ///
  /// Layout: `generator` (the spec), `rules`, `total` and `formats.<name>` (line counts),
  /// `sessions.<mode>`, `edge_cases`, `files` (per-file line counts). File paths are the
  /// plain names; a compressed copy adds `.gz`.
  public var json: String {
    var out = AnswerJSON()
    out.open("{")
    out.key("generator")
    out.open("{")
    out.field("version", "1")
    out.field("seed", "\(spec.seed)")
    out.field("people", "\(people)")
    out.field("registered_people", "\(registeredPeople)")
    out.field("visitors_option", spec.eventsTarget == nil ? "\(spec.visitors)" : "null")
    out.field("events_target", spec.eventsTarget.map { "\($0)" } ?? "null")
    out.field("days", "\(spec.days)")
    out.field("start", AnswerJSON.quoted(startText))
    out.field("start_ms", "\(spec.startMs)")
    out.field("end_ms", "\(spec.endMs)")
    out.field("gap_seconds", "1800")
    out.field("files_per_day", "\(spec.filesPerDay)")
    out.field(
      "formats", "[" + spec.formats.names.map(AnswerJSON.quoted).joined(separator: ", ") + "]")
    out.close("}")
    out.key("rules")
    out.open("[")
    for rule in Self.rules { out.item(AnswerJSON.quoted(rule)) }
    out.close("]")
    out.key("total")
    counts(total, into: &out, format: nil)
    out.key("formats")
    out.open("{")
    for format in formats {
      out.key(format.name)
      counts(format.counts, into: &out, format: format.name)
    }
    out.close("}")
    out.key("sessions")
    out.open("{")
    for mode in modes {
      out.key(mode.name)
      out.open("{")
      out.field("sessions", "\(mode.tally.sessions)")
      out.field("events", "\(mode.tally.events)")
      out.field("identify_events", "\(mode.tally.identifyEvents)")
      out.field("keys", "\(mode.tally.keys)")
      out.key("goal_sessions")
      out.open("{")
      for goal in Goal.allCases {
        out.field(goal.name, "\(mode.tally.goalSessions[Int(goal.rawValue)])")
      }
      out.close("}")
      out.close("}")
    }
    out.close("}")
    out.key("edge_cases")
    out.open("{")
    for edge in edgeCases { out.field(edge.name, "\(edge.count)") }
    out.close("}")
    out.key("files")
    out.open("[")
    for file in files {
      out.item(nil)
      out.open("{", inline: true)
      out.field("path", AnswerJSON.quoted(file.path))
      countFields(file.counts, into: &out)
      out.close("}")
    }
    out.close("]")
    out.close("}")
    return out.text + "\n"
  }

  private var startText: String {
    CivilTime.dateString(days: CivilTime.day(of: spec.startMs)) + "T00:00:00Z"
  }

  private func counts(_ counts: LineCounts, into out: inout AnswerJSON, format: String?) {
    out.open("{")
    countFields(counts, into: &out)
    if let format {
      out.field("distinct_visitors", "\(distinctVisitors[format] ?? 0)")
      out.field("distinct_users", "\(distinctUsers[format] ?? 0)")
      out.field("bot_visitors", "\(botVisitors[format] ?? 0)")
    }
    out.close("}")
  }

  private func countFields(_ counts: LineCounts, into out: inout AnswerJSON) {
    out.field("lines", "\(counts.lines)")
    out.field("records", "\(counts.records)")
    out.key("malformed")
    out.open("{")
    for reason in [
      BadRowReason.invalidJSON, .missingTimestamp, .invalidTimestamp, .invalidCSV,
      .invalidAccessLog,
    ] {
      out.field(reason.rawValue, "\(counts.malformed[reason] ?? 0)")
    }
    out.close("}")
    out.field("malformed_total", "\(counts.malformedTotal)")
    out.field("duplicates", "\(counts.duplicates)")
    out.field("bot_events", "\(counts.botEvents)")
    out.field("asset_events", "\(counts.assetEvents)")
    out.field("accepted_events", "\(counts.accepted)")
    out.field("junk_user_id_events", "\(counts.junkUserIds)")
  }
}

/// A minimal pretty JSON writer with the caller's key order (no Foundation encoder, so
/// the bytes never depend on dictionary order).
struct AnswerJSON {
  private(set) var text = ""
  private var depth = 0
  private var needsComma = false

  static func quoted(_ value: String) -> String { JSONText.quoted(value) }

  private mutating func newline() {
    if needsComma { text += "," }
    if depth > 0 || !text.isEmpty { text += "\n" }
    text += String(repeating: "  ", count: depth)
  }

  mutating func key(_ name: String) {
    newline()
    text += Self.quoted(name) + ": "
    needsComma = false
    pendingKey = true
  }

  private var pendingKey = false

  mutating func open(_ bracket: String, inline: Bool = false) {
    if !pendingKey && !inline { newline() }
    text += bracket
    depth += 1
    needsComma = false
    pendingKey = false
  }

  mutating func close(_ bracket: String) {
    depth -= 1
    text += "\n" + String(repeating: "  ", count: depth) + bracket
    needsComma = true
  }

  mutating func field(_ name: String, _ value: String) {
    newline()
    text += Self.quoted(name) + ": " + value
    needsComma = true
  }

  /// An array element; nil starts an element that the next `open(_:inline: true)` fills.
  mutating func item(_ value: String?) {
    newline()
    if let value {
      text += value
      needsComma = true
    }
  }
}
