/// `metrics.prom` in the Prometheus text format, for node_exporter's textfile collector.
///
/// Written with every run's outputs and, with `--metrics-file`, also to that path (by
/// rename, so the collector never reads half a file). A failed run writes only
/// `polku_run_success 0` and its duration, keeping `polku_last_success_timestamp_seconds`
/// out so the alert "no success for 26 h" works off the last good file.
public enum Metrics {
  public static func text(
    pipeline: String, summary: RunSummary?, wallSeconds: Double, finishedAtMs: Int64,
    failure: PolkuError? = nil
  ) -> String {
    let label = "pipeline=\"\(escape(pipeline))\""
    var lines: [String] = []
    func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
      lines.append("# HELP \(name) \(help)")
      lines.append("# TYPE \(name) \(type)")
      for (labels, value) in samples { lines.append("\(name){\(labels)} \(value)") }
    }
    metric(
      "polku_run_success", "gauge", "1 when the last run succeeded, 0 when it failed.",
      [(label, failure == nil ? "1" : "0")])
    metric(
      "polku_run_duration_seconds", "gauge", "Wall time of the last run.",
      [(label, formatFixed(wallSeconds, digits: 3))])
    if let failure {
      metric(
        "polku_run_exit_status", "gauge", "Exit status of the last run.",
        [(label, String(failure.code.exitStatus))])
    }
    guard let summary, failure == nil else { return lines.joined(separator: "\n") + "\n" }
    metric(
      "polku_last_success_timestamp_seconds", "gauge", "When the last successful run ended.",
      [(label, String(finishedAtMs / 1000))])
    metric(
      "polku_events_read_total", "gauge", "Lines read in the last run.",
      [(label, String(summary.events.read))])
    metric(
      "polku_events_accepted_total", "gauge", "Events accepted in the last run.",
      [(label, String(summary.events.accepted))])
    metric(
      "polku_events_duplicates_total", "gauge", "Duplicate events dropped in the last run.",
      [(label, String(summary.events.duplicates))])
    metric(
      "polku_events_rejected_total", "gauge", "Lines rejected in the last run, by reason.",
      summary.events.rejected.keys.sorted().map {
        ("\(label),reason=\"\($0)\"", String(summary.events.rejected[$0] ?? 0))
      })
    metric(
      "polku_events_filtered_total", "gauge", "Events dropped by filters, by filter.",
      summary.events.filtered.keys.sorted().map {
        ("\(label),filter=\"\($0)\"", String(summary.events.filtered[$0] ?? 0))
      })
    metric(
      "polku_sessions_total", "gauge", "Sessions written by the last run.",
      [(label, String(summary.sessions))])
    if let held = summary.sessionsHeld {
      metric(
        "polku_sessions_held", "gauge",
        "Sessions open at the last run's cut, held in the state for the next night.",
        [(label, String(held))])
    }
    metric(
      "polku_visitors_total", "gauge", "Visitors in the last run.",
      [(label, String(summary.visitors))])
    metric(
      "polku_inputs_damaged_total", "gauge", "Truncated or corrupt input files.",
      [(label, String(summary.inputsDamaged))])
    return lines.joined(separator: "\n") + "\n"
  }

  static func escape(_ text: String) -> String {
    var result = ""
    for char in text {
      switch char {
      case "\\": result += "\\\\"
      case "\"": result += "\\\""
      case "\n": result += "\\n"
      default: result.append(char)
      }
    }
    return result
  }

  /// Writes `text` to `path` through a temporary file and a rename. The temporary file is
  /// made new (whatever was at its name, a link included, is removed first) and the rename
  /// replaces a link at `path` rather than follow it.
  public static func publish(_ text: String, to path: String) throws {
    let temporary = path + ".tmp"
    try FileBytes.removeFile(temporary)
    try FileBytes.write(Array(text.utf8), to: temporary)
    try FileBytes.rename(temporary, to: path)
  }
}
