/// The sections of `report.html`, each from the file its figures come from (named under
/// each picture).
struct ReportSections {
  let data: ReportData
  let colors: ReportColors
  let sankey: Sankey
  /// Rows shown of the longer tables (the CSV files have them all).
  static let topRows = 25

  init(_ data: ReportData) {
    self.data = data
    sankey = Sankey(data.transitions)
    // The run's channels only: a page path with a colon is not a channel.
    colors = ReportColors(channels: data.summary.sessionsPerChannel.keys)
  }

  /// Every section, in page order.
  func all() -> String {
    [glance(), journeys(), goals(), funnels(), sessions(), churn(), quality(), footer()]
      .joined()
  }

  // MARK: helpers

  static func source(_ files: String) -> String {
    "<p class=\"source\">Figures: " + files + "</p>\n"
  }

  static func card(_ value: String, _ label: String) -> String {
    "<div class=\"card\"><b>" + HTMLEscape.text(value) + "</b><span>" + HTMLEscape.text(label)
      + "</span></div>"
  }

  /// A table; `numeric` columns are right-aligned. Cells are plain text, escaped here.
  static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
    var out = "<table><thead><tr>"
    for (index, name) in header.enumerated() {
      out +=
        (numeric.contains(index) ? "<th class=\"n\">" : "<th>") + HTMLEscape.text(name)
        + "</th>"
    }
    out += "</tr></thead><tbody>"
    for row in rows {
      out += "<tr>"
      for (index, cell) in row.enumerated() {
        out +=
          (numeric.contains(index) ? "<td class=\"n\">" : "<td>") + HTMLEscape.text(cell)
          + "</td>"
      }
      out += "</tr>"
    }
    return out + "</tbody></table>\n"
  }

  static func int(_ text: String) -> Int { Int(text) ?? 0 }

  static func double(_ text: String) -> Double? { Double(text) }

  // MARK: sections

  func glance() -> String {
    let s = data.summary
    let e = s.events
    var out =
      "<header><h1>" + HTMLEscape.text("Journeys: " + s.pipeline) + "</h1>"
      + "<p class=\"muted\">Pipeline <code class=\"v\">" + HTMLEscape.text(s.pipeline)
      + "</code>, SHA-256 <code>" + HTMLEscape.text(data.pipelineSHA256) + "</code>"
    if let first = s.firstEvent, let last = s.lastEvent {
      out += ". Events from " + HTMLEscape.text(first) + " to " + HTMLEscape.text(last)
    }
    out +=
      ".</p></header>\n<section id=\"glance\"><h2>The run at a glance</h2><div class=\"cards\">"
    let damaged = s.inputsDamaged > 0 ? ", \(s.inputsDamaged) damaged" : ""
    out += Self.card(ReportText.count(s.inputs), "input files" + damaged)
    out += Self.card(ReportText.count(e.read), "lines read")
    out += Self.card(ReportText.count(e.accepted), "events accepted")
    out += Self.card(
      ReportText.count(e.rejectedTotal),
      "rejected (\(ReportText.percent(s.badRowRatio, digits: 2)))")
    out += Self.card(ReportText.count(e.filtered.values.reduce(0, +)), "filtered out")
    out += Self.card(ReportText.count(e.duplicates), "duplicates dropped")
    out += Self.card(ReportText.count(s.visitors), "visitors")
    out += Self.card(ReportText.count(s.users), "users")
    out += Self.card(ReportText.count(s.sessions), "sessions")
    out += Self.card(ReportText.percent(s.bounceRate), "bounce rate")
    out += Self.card(
      ReportText.duration(Double(s.sessionDurationS.median)), "median session")
    out +=
      "</div><p>Identity: <b>" + HTMLEscape.text(s.identity.mode) + "</b>; "
      + "\(ReportText.count(s.identity.stitchedAnonymousIds)) anonymous ids stitched to a "
      + "user, \(ReportText.count(s.identity.anonymousIdsWithSeveralUsers)) seen with several "
      + "users (given to the latest), \(ReportText.count(s.identity.junkIds)) junk ids never "
      + "stitched; \(ReportText.count(e.identify)) identify calls.</p>"
    if e.carried > 0 {
      out +=
        "<p>\(ReportText.count(e.carried)) events of last night's open sessions carried in.</p>"
    }
    return out + Self.source("summary.json, manifest.json (inputs, pipeline hash)")
      + "</section>\n"
  }

  func journeys() -> String {
    var out = "<section id=\"journeys\"><h2>Journeys across channels</h2>"
    guard sankey.total > 0 else {
      return out + "<p class=\"note\">No step-to-step transitions in this run.</p>"
        + Self.source("transitions.csv") + "</section>\n"
    }
    out +=
      "<p>Each band is one step followed by the next within a session, as wide as the times "
      + "it happened (\(ReportText.count(sankey.total)) transitions). The busiest "
      + "\(Sankey.maxNodes) steps and followers keep their own node; the rest are "
      + "<code>(other)</code>. Hover over a step to see only its bands.</p>"
    out += Charts.legend(colors) + sankey.svg(colors: colors)
    out += Self.source("transitions.csv (source, target, count)")
    let rows = data.journeys.rows.prefix(Self.topRows).map { row in
      [
        data.journeys.cell(row, "steps"), data.journeys.cell(row, "support"),
        ReportText.percent(Self.double(data.journeys.cell(row, "share")) ?? 0),
        Self.double(data.journeys.cell(row, "median_seconds")).map(ReportText.duration) ?? "–",
      ]
    }
    if !rows.isEmpty {
      out +=
        "<h3>Top micro-journeys</h3>"
        + Self.table(
          ["steps", "sessions", "share of sessions", "median time"], Array(rows),
          numeric: [1, 2, 3])
        + Self.source("journeys.csv (first \(rows.count) of \(data.journeys.rows.count) rows)")
    }
    return out + "</section>\n"
  }

  func goals() -> String {
    let table = data.goalPaths
    guard !table.rows.isEmpty else { return "" }
    var out =
      "<section id=\"goals\"><h2>Routes into each goal</h2><p>The last steps before each "
      + "goal; <code>(start)</code> when the route reaches back to the session start.</p>"
    var order: [String] = []
    var byGoal: [String: [[String]]] = [:]
    for row in table.rows {
      let goal = table.cell(row, "goal")
      if byGoal[goal] == nil { order.append(goal) }
      byGoal[goal, default: []].append(row)
    }
    let conversions = Dictionary(
      (data.summary.paths?.goals ?? []).map { ($0.goal, $0) }, uniquingKeysWith: { a, _ in a })
    for goal in order {
      let rows = byGoal[goal] ?? []
      out += "<h3>" + HTMLEscape.text(goal) + "</h3>"
      if let total = conversions[goal] {
        out +=
          "<p class=\"muted\">\(ReportText.count(total.conversions)) sessions "
          + "(\(ReportText.percent(total.rate)) of sessions).</p>"
      }
      let bars = rows.prefix(10).map { row in
        let count = Self.int(table.cell(row, "conversions"))
        let median = Self.double(table.cell(row, "median_seconds_to_goal"))
        return Charts.Bar(
          label: table.cell(row, "path"), value: count,
          note:
            "\(ReportText.count(count)) (\(ReportText.percent(Self.double(table.cell(row, "share")) ?? 0)))"
            + (median.map { ", \(ReportText.duration($0)) to goal" } ?? ""),
          fill: table.cell(row, "path") == Sankey.other ? "cs" : "c0")
      }
      out += Charts.bars(Array(bars), label: "Routes into " + goal)
    }
    return out + Self.source("goal_paths.csv (first 10 rows of each goal)") + "</section>\n"
  }

  func funnels() -> String {
    let table = data.funnels
    guard !table.rows.isEmpty else { return "" }
    var out = "<section id=\"funnels\"><h2>Funnels</h2>"
    var order: [String] = []
    var byFunnel: [String: [[String]]] = [:]
    for row in table.rows {
      let name = table.cell(row, "funnel")
      if byFunnel[name] == nil { order.append(name) }
      byFunnel[name, default: []].append(row)
    }
    for name in order {
      let rows = byFunnel[name] ?? []
      let first = rows.first.map { Self.int(table.cell($0, "reached")) } ?? 0
      let last = rows.last.map { Self.int(table.cell($0, "reached")) } ?? 0
      let unit = rows.first.map { table.cell($0, "count") } ?? "sessions"
      out +=
        "<h3>" + HTMLEscape.text(name) + "</h3><p class=\"muted\">"
        + "\(ReportText.count(first)) " + HTMLEscape.text(unit) + " entered, "
        + "\(ReportText.count(last)) completed (\(ReportText.percent(last, of: first))).</p>"
      let bars = rows.map { row in
        let reached = Self.int(table.cell(row, "reached"))
        let dropped = Self.int(table.cell(row, "dropped"))
        let median = Self.double(table.cell(row, "median_seconds_from_previous"))
        var note =
          "\(ReportText.count(reached)) (\(ReportText.percent(Self.double(table.cell(row, "conversion_from_start")) ?? 0)))"
        if dropped > 0 { note += ", \(ReportText.count(dropped)) dropped" }
        if let median { note += ", \(ReportText.duration(median)) after the previous step" }
        return Charts.Bar(
          label: table.cell(row, "step_index") + ". " + table.cell(row, "step"), value: reached,
          note: note, fill: colors.fill(table.cell(row, "step")))
      }
      out += Charts.bars(bars, scaleTo: first, label: "Funnel " + name)
    }
    return out + Self.source("funnels.csv") + "</section>\n"
  }
}
