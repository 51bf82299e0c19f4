/// Sessions, churn, data quality and the data block.
extension ReportSections {
  func sessions() -> String {
    let s = data.summary
    var out =
      "<section id=\"sessions\"><h2>Sessions</h2><p>\(ReportText.count(s.sessions)) sessions; "
      + "median \(ReportText.duration(Double(s.sessionDurationS.median))), 90th percentile "
      + "\(ReportText.duration(Double(s.sessionDurationS.p90))), mean "
      + "\(ReportText.duration(s.sessionDurationS.mean)); bounce rate "
      + "\(ReportText.percent(s.bounceRate)).</p>"
    let channels = s.sessionsPerChannel.sorted {
      $0.value != $1.value ? $0.value > $1.value : utf8Precedes($0.key, $1.key)
    }
    if !channels.isEmpty {
      out +=
        "<h3>Sessions per channel</h3>"
        + Charts.bars(
          channels.map {
            Charts.Bar(
              label: $0.key, value: $0.value,
              note:
                "\(ReportText.count($0.value)) (\(ReportText.percent($0.value, of: s.sessions)))",
              fill: colors.fill(channel: $0.key))
          }, label: "Sessions per channel")
    }
    if let distributions = s.distributions {
      if !distributions.sessionsPerDay.isEmpty {
        out +=
          "<h3>Sessions over time, by channel (UTC days)</h3>" + Charts.legend(colors)
          + Charts.days(distributions.sessionsPerDay, colors: colors)
      }
      out +=
        "<h3>Session length (events)</h3>"
        + Charts.histogram(
          distributions.sessionEvents.map {
            (ReportText.range($0.min, $0.max), $0.sessions)
          }, label: "Sessions by number of events")
      out +=
        "<h3>Session duration</h3>"
        + Charts.histogram(
          distributions.sessionDurationS.map {
            (ReportText.durationRange($0.min, $0.max), $0.sessions)
          }, label: "Sessions by duration")
    }
    return out
      + Self.source(
        "summary.json (sessions_per_channel, session_duration_s, bounce_rate, distributions)")
      + "</section>\n"
  }

  func churn() -> String {
    guard let churn = data.summary.churn else { return "" }
    var out =
      "<section id=\"churn\"><h2>Churn risk</h2><p>\(ReportText.count(churn.customers)) "
      + "known customers scored"
      + (churn.now.map { " as of " + HTMLEscape.text($0) } ?? "") + ".</p>"
    let bands = churn.bands
    out += Charts.bars(
      [
        Charts.Bar(
          label: "high", value: bands.high, note: bandNote(bands.high, churn), fill: "bad"),
        Charts.Bar(
          label: "medium", value: bands.medium, note: bandNote(bands.medium, churn), fill: "c1"),
        Charts.Bar(label: "low", value: bands.low, note: bandNote(bands.low, churn), fill: "c2"),
      ], label: "Customers per churn band")
    if let histogram = churn.scoreHistogram, histogram.count == 10 {
      out +=
        "<h3>Score distribution</h3>"
        + Charts.histogram(
          histogram.enumerated().map { index, count in
            ("0.\(index)–" + (index == 9 ? "1.0" : "0.\(index + 1)"), count)
          }, label: "Customers by churn score")
    }
    out += Self.source("summary.json (churn), customers.csv (score, band)")
    out += churnReasons() + atRisk()
    out += "<h3>BG/NBD model</h3>"
    if let model = churn.model {
      out +=
        "<p>Fitted on \(ReportText.count(model.customersFitted)) customers: r = "
        + ReportText.number(model.r) + ", α = " + ReportText.number(model.alpha)
        + ", a = " + ReportText.number(model.a) + ", b = " + ReportText.number(model.b)
        + "; log-likelihood " + formatFixed(model.logLikelihood, digits: 2) + "; "
        + (model.converged
          ? "the fit converged."
          : "<b>the fit did not converge</b>: treat P(alive) with care.") + "</p>"
    } else {
      let needed = ChurnScorer.minimumCustomersToFit
      out +=
        "<p class=\"note\">No model was fitted: "
        + (churn.customers < needed
          ? "\(ReportText.count(churn.customers)) customers, fewer than the \(needed) a fit needs."
          : "no customer was active on more than one day.")
        + " Scores use the other signals only.</p>"
    }
    return out + Self.source("summary.json (churn.model)") + "</section>\n"
  }

  private func bandNote(_ count: Int, _ churn: ReportSummary.Churn) -> String {
    "\(ReportText.count(count)) (\(ReportText.percent(count, of: churn.customers)))"
  }

  /// The reasons of the at-risk customers read, most common first.
  func churnReasons() -> String {
    let table = data.churnSignals
    guard !table.rows.isEmpty else {
      return "<p class=\"note\">No customer is in the high or medium band.</p>"
    }
    var counts: [String: Int] = [:]
    for row in table.rows {
      var kinds = Set<String>()
      for reason in table.cell(row, "reasons").split(separator: ";") {
        let kind = Self.reasonKind(reason)
        if !kind.isEmpty { kinds.insert(kind) }
      }
      for kind in kinds { counts[kind, default: 0] += 1 }
    }
    let top = counts.sorted {
      $0.value != $1.value ? $0.value > $1.value : utf8Precedes($0.key, $1.key)
    }.prefix(10)
    guard !top.isEmpty else { return "" }
    return "<h3>Most common reasons</h3><p class=\"muted\">Each reason of "
      + "<code>churn_signals.csv</code> with its numbers written as N, and how many at-risk "
      + "customers have it.</p>"
      + Charts.bars(
        top.map {
          Charts.Bar(
            label: $0.key, value: $0.value,
            note: "\(ReportText.count($0.value)) of \(ReportText.count(table.rows.count)) at risk",
            fill: "c1")
        }, label: "Churn reasons")
  }

  /// A reason with its numbers as `N` (`last seen 21 days ago` → `last seen N days ago`),
  /// leading and trailing spaces dropped.
  static func reasonKind(_ reason: Substring) -> String {
    var out = ""
    var inNumber = false
    for character in reason {
      if character.isASCII && character.isNumber {
        if !inNumber { out += "N" }
        inNumber = true
      } else if inNumber && character == "." {
        continue
      } else {
        inNumber = false
        out.append(character)
      }
    }
    while out.hasPrefix(" ") { out.removeFirst() }
    while out.hasSuffix(" ") { out.removeLast() }
    return out
  }

  /// The first rows of `churn_signals.csv` (highest scores first).
  func atRisk() -> String {
    let table = data.churnSignals
    guard !table.rows.isEmpty else { return "" }
    let rows = table.rows.prefix(Self.topRows).map { row in
      [
        table.cell(row, "user_id"), table.cell(row, "score"), table.cell(row, "band"),
        table.cell(row, "reasons"), table.cell(row, "last_seen"),
        table.cell(row, "days_since_last"),
      ]
    }
    return "<h3>Top at-risk customers</h3>"
      + Self.table(
        ["user", "score", "band", "reasons", "last seen", "days since"], Array(rows),
        numeric: [1, 5])
      + Self.source("churn_signals.csv (first \(rows.count) of \(table.rows.count) rows)")
  }

  func quality() -> String {
    let e = data.summary.events
    var out =
      "<section id=\"quality\"><h2>Data quality</h2><p>\(ReportText.count(e.rejectedTotal)) "
      + "lines rejected (\(ReportText.percent(data.summary.badRowRatio, digits: 2)) of lines "
      + "read), \(ReportText.count(e.duplicates)) duplicate events dropped, "
      + "\(ReportText.count(e.filtered.values.reduce(0, +))) events filtered out, "
      + "\(ReportText.count(e.skipped)) lines without an event (headers, blank lines).</p>"
    let reasons = e.rejected.sorted {
      $0.value != $1.value ? $0.value > $1.value : utf8Precedes($0.key, $1.key)
    }
    if !reasons.isEmpty {
      out +=
        "<h3>Rejected lines by reason</h3>"
        + Charts.bars(
          reasons.map {
            Charts.Bar(
              label: $0.key, value: $0.value, note: ReportText.count($0.value), fill: "bad")
          }, label: "Rejected lines by reason")
      var rows: [[String]] = []
      for (reason, _) in reasons {
        for example in data.badRowExamples[reason] ?? [] {
          rows.append([
            reason, example.file + ":\(example.line)",
            ReportColors.shortened(example.raw, to: 160),
          ])
        }
      }
      if !rows.isEmpty {
        out +=
          "<h3>Examples</h3>"
          + Self.table(["reason", "file:line", "line (start)"], rows)
      }
    }
    let filtered = e.filtered.sorted {
      $0.value != $1.value ? $0.value > $1.value : utf8Precedes($0.key, $1.key)
    }
    if !filtered.isEmpty {
      out +=
        "<h3>Filtered events</h3>"
        + Self.table(
          ["filter", "events"], filtered.map { [$0.key, ReportText.count($0.value)] },
          numeric: [1])
    }
    let notOK = data.inputs.filter { $0.status != .ok }
    if notOK.isEmpty {
      out += "<p>All \(ReportText.count(data.inputs.count)) input files were read to the end.</p>"
    } else {
      let listed = notOK.prefix(ReportData.maxInputsListed).map {
        [
          ReportColors.shortened($0.path, to: ReportData.maxValueLength), $0.status.rawValue,
          ReportText.count($0.bytes), ReportText.count($0.lines), $0.damage ?? "",
        ]
      }
      out +=
        "<h3>Inputs damaged or skipped</h3>"
        + Self.table(["file", "status", "bytes", "lines kept", "damage"], listed, numeric: [2, 3])
      if notOK.count > listed.count {
        out +=
          "<p class=\"muted\">… and \(ReportText.count(notOK.count - listed.count)) more "
          + "(manifest.json lists them all).</p>"
      }
    }
    return out
      + Self.source(
        "summary.json (events), bad_rows.jsonl (first \(ReportData.examplesPerReason) of each "
          + "reason), manifest.json (inputs)") + "</section>\n"
  }

  func footer() -> String {
    "<footer><p class=\"source\">Built by polku from the files in this folder; "
      + "<code>polku report</code> rebuilds it from them.</p></footer>\n"
  }

  /// The figures of the pictures as JSON, escaped for a script element.
  func json() -> String {
    func nodes(_ nodes: [Sankey.Node]) -> String {
      let items = nodes.map { node -> String in
        let label: String = HTMLEscape.jsonString(node.label)
        return "{\"label\":\(label),\"count\":\(node.count)}"
      }
      return "[" + items.joined(separator: ",") + "]"
    }
    let bands = sankey.bands.map {
      "{\"source\":\($0.source),\"target\":\($0.target),\"count\":\($0.count)}"
    }
    let pipeline: String = HTMLEscape.jsonString(data.summary.pipeline)
    var out = "{\"pipeline\":\(pipeline),\"sankey\":{\"total\":\(sankey.total)"
    out += ",\"sources\":\(nodes(sankey.sources)),\"targets\":\(nodes(sankey.targets))"
    out += ",\"bands\":[\(bands.joined(separator: ","))]}}"
    return out
  }
}
