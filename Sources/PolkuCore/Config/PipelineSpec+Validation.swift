extension PipelineSpec {
  /// Every problem in the spec, each naming its key path; empty when the spec is usable.
  public func validate() -> [String] {
    var issues: [String] = []
    if version != 1 { issues.append("version: must be 1, got \(version)") }
    if inputs.isEmpty { issues.append("inputs: at least one input is required") }
    for (index, input) in inputs.enumerated() {
      issues += input.validate(path: "inputs[\(index)]")
    }
    let unmatched = inputs.dropLast().filter { $0.files == nil }
    if inputs.count > 1 && !unmatched.isEmpty {
      issues.append("inputs: every input but the last needs a `files` pattern")
    }
    if !(1...86_400 * 7).contains(sessions.gapSeconds) {
      issues.append("sessions.gap_seconds: must be 1...604800, got \(sessions.gapSeconds)")
    }
    if sessions.maxDurationSeconds < 0 {
      issues.append("sessions.max_duration_seconds: must be >= 0 (0 = no limit)")
    }
    if !(0...1).contains(quality.maxBadRowRatio) {
      issues.append("quality.max_bad_row_ratio: must be 0...1, got \(quality.maxBadRowRatio)")
    }
    if quality.maxLineBytes < 1024 {
      issues.append("quality.max_line_bytes: must be >= 1024, got \(quality.maxLineBytes)")
    }
    if quality.badRowBytes < 16 {
      issues.append("quality.bad_row_bytes: must be >= 16, got \(quality.badRowBytes)")
    }
    if goals.count > 63 { issues.append("goals: at most 63 goals, got \(goals.count)") }
    var goalNames = Set<String>()
    for (index, goal) in goals.enumerated() {
      if goal.name.isEmpty { issues.append("goals[\(index)].name: must not be empty") }
      if !goalNames.insert(goal.name).inserted {
        issues.append("goals[\(index)].name: duplicate goal \"\(goal.name)\"")
      }
      if goal.event == nil && goal.page == nil {
        issues.append("goals[\(index)]: needs `event` or `page`")
      }
    }
    for (index, pattern) in filters.excludePages.enumerated() {
      if let problem = regexProblem(pattern) {
        issues.append("filters.exclude_pages[\(index)]: \(problem)")
      }
    }
    for (index, rewrite) in pages.rewrites.enumerated() {
      if let problem = regexProblem(rewrite.pattern) {
        issues.append("pages.rewrites[\(index)].pattern: \(problem)")
      }
    }
    issues += paths.validate(path: "paths")
    issues += churn.validate(path: "churn")
    issues += partitions.validate(path: "partitions")
    return issues
  }

  private func regexProblem(_ pattern: String) -> String? {
    do {
      _ = try Regex(pattern)
      return nil
    } catch {
      return "invalid regex \"\(pattern)\": \(error)"
    }
  }
}

extension InputSpec {
  func validate(path: String) -> [String] {
    var issues: [String] = []
    if TimestampFormat(rawValue: timestampFormat) == nil {
      let known = TimestampFormat.allCases.map { $0.rawValue }.joined(separator: ", ")
      issues.append("\(path).timestamp_format: unknown \"\(timestampFormat)\"; known: \(known)")
    }
    for key in fields.keys.sorted() where Field(configKey: key) == nil {
      let known = Field.allCases.map(\.configKey).joined(separator: ", ")
      issues.append("\(path).fields.\(key): unknown field; known: \(known)")
    }
    if format == .jsonl {
      issues += jsonPathIssues(path: path)
    }
    if format != .accessLog && fields["timestamp"] == nil {
      issues.append("\(path).fields.timestamp: required")
    }
    if format != .accessLog && fields["anonymous_id"] == nil && fields["user_id"] == nil {
      issues.append("\(path).fields: needs anonymous_id or user_id")
    }
    if format == .accessLog && visitor == .cookie && cookie.isEmpty {
      issues.append("\(path).cookie: must name the visitor cookie")
    }
    if channel.isEmpty { issues.append("\(path).channel: must not be empty") }
    return issues
  }

  /// Malformed selectors or fallback lists in JSON field paths, and too many fallbacks.
  private func jsonPathIssues(path: String) -> [String] {
    var issues: [String] = []
    var fallbacks = 0
    for (key, source) in fields.sorted(by: { $0.key < $1.key }) {
      do {
        let parsed = try JSONFieldPath(parsing: source)
        fallbacks += parsed.alternatives.count - 1
      } catch {
        issues.append("\(path).fields.\(key): malformed path \"\(source)\": \(error)")
      }
    }
    let limit = RecordFields.slotCount - Field.count
    if fallbacks > limit {
      issues.append(
        "\(path).fields: at most \(limit) fallback paths (`|`) in all, got \(fallbacks)")
    }
    return issues
  }
}
