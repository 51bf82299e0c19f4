/// The short summary `polku run` prints on a terminal once a run is published: top
/// journeys, goal conversion, funnel drop-off, churn bands, bad rows, and where the
/// report is.
///
/// Every value that comes from the logs or the pipeline (steps, goal and funnel names)
/// passes through ``VisibleText/escaped(_:)``, as every other line polku prints: control
/// characters and escape sequences are shown as escapes, never sent to the terminal.
public enum TerminalSummary {
  /// The summary's lines (no trailing line break); `report` is the report's path, nil when
  /// the run wrote none.
  public static func lines(_ summary: RunSummary, report: String?, journeys: Int = 3)
    -> [String]
  {
    func t(_ value: String) -> String { VisibleText.escaped(value) }
    var lines: [String] = []
    if let paths = summary.paths {
      if !paths.topJourneys.isEmpty {
        lines.append("Top journeys (sessions):")
        for journey in paths.topJourneys.prefix(journeys) {
          lines.append(
            "  " + pad(ReportText.count(journey.support), 7) + "  "
              + t(journey.steps.joined(separator: " > ")))
        }
      }
      if !paths.goals.isEmpty {
        lines.append(
          "Goals: "
            + paths.goals.map {
              t($0.goal) + " \(ReportText.count($0.conversions)) (\(ReportText.percent($0.rate)))"
            }.joined(separator: ", "))
      }
      for funnel in paths.funnels {
        let entered = ReportText.count(funnel.entered)
        let completed = ReportText.count(funnel.completed)
        let rate = ReportText.percent(funnel.conversion)
        var line =
          "Funnel \(t(funnel.name)): \(entered) → \(completed) \(t(funnel.count)) (\(rate))"
        if let drop = biggestDrop(funnel) {
          let lost = ReportText.count(drop.lost)
          line += "; biggest drop \(t(drop.from)) → \(t(drop.to)) (−\(lost))"
        }
        lines.append(line)
      }
    }
    if let churn = summary.churn {
      lines.append(
        "Churn: \(ReportText.count(churn.customers)) customers, \(ReportText.count(churn.high)) "
          + "high, \(ReportText.count(churn.medium)) medium, \(ReportText.count(churn.low)) low")
    }
    let events = summary.events
    var bad = "Bad rows: \(ReportText.count(events.rejectedTotal))"
    if events.rejectedTotal > 0 {
      let reasons = events.rejected.sorted {
        $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
      }
      bad +=
        " (\(ReportText.percent(summary.badRowRatio, digits: 2))): "
        + reasons.map { t($0.key) + " \(ReportText.count($0.value))" }.joined(separator: ", ")
    }
    lines.append(bad + "; see bad_rows.jsonl")
    if let report { lines.append("Report: " + t(report)) }
    return lines
  }

  /// The step where a funnel loses the most.
  static func biggestDrop(_ funnel: PathSummary.Funnel) -> (from: String, to: String, lost: Int)? {
    var best: (from: String, to: String, lost: Int)?
    for (previous, step) in zip(funnel.steps, funnel.steps.dropFirst()) {
      let lost = previous.reached - step.reached
      if lost > 0 && lost > (best?.lost ?? 0) { best = (previous.step, step.step, lost) }
    }
    return best
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
}
