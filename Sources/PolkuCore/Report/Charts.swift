/// Small inline-SVG charts: horizontal bars, histograms and stacked day columns.
///
/// Every label passes through ``HTMLEscape``; every bar has a `<title>` with its figures.
/// Widths and heights are proportional to the values (the largest fills the chart).
enum Charts {
  /// One horizontal bar.
  struct Bar {
    var label: String
    var value: Int
    /// The figures printed after the bar (already plain text, escaped here).
    var note: String
    var fill = "c0"
  }

  /// Horizontal bars, one a row, scaled to the largest value (or to `scaleTo`).
  static func bars(_ bars: [Bar], scaleTo: Int? = nil, label: String) -> String {
    guard !bars.isEmpty else { return "" }
    let rowHeight = 24.0
    let labelWidth = 320.0
    let barWidth = 420.0
    let width = 960.0
    let height = rowHeight * Double(bars.count)
    let top = max(1, scaleTo ?? bars.map(\.value).max() ?? 1)
    let p = ReportText.px
    var out =
      "<svg class=\"bars\" viewBox=\"0 0 \(p(width)) \(p(height))\" role=\"img\" aria-label=\""
      + HTMLEscape.attribute(label) + "\">"
    for (index, bar) in bars.enumerated() {
      let y = Double(index) * rowHeight
      let w = barWidth * Double(max(0, bar.value)) / Double(top)
      out +=
        "<g><title>" + HTMLEscape.svgText(bar.label) + ": " + HTMLEscape.svgText(bar.note)
        + "</title><text x=\"\(p(labelWidth - 8))\" y=\"\(p(y + rowHeight / 2))\" "
        + "text-anchor=\"end\" dominant-baseline=\"middle\">"
        + HTMLEscape.svgText(ReportColors.shortened(bar.label, to: 44)) + "</text>"
        + "<rect class=\"\(bar.fill)\" x=\"\(p(labelWidth))\" y=\"\(p(y + 4))\" "
        + "width=\"\(p(max(w, bar.value > 0 ? 1 : 0)))\" height=\"\(p(rowHeight - 8))\"/>"
        + "<text class=\"muted\" x=\"\(p(labelWidth + w + 6))\" y=\"\(p(y + rowHeight / 2))\" "
        + "dominant-baseline=\"middle\">" + HTMLEscape.svgText(bar.note) + "</text></g>"
    }
    return out + "</svg>"
  }

  /// A histogram: one column per bucket, labelled below, its count above.
  static func histogram(_ columns: [(label: String, value: Int)], label: String) -> String {
    guard !columns.isEmpty else { return "" }
    let width = 960.0
    let height = 200.0
    let plot = 150.0
    let columnWidth = width / Double(columns.count)
    let top = max(1, columns.map(\.value).max() ?? 1)
    let p = ReportText.px
    var out =
      "<svg class=\"histogram\" viewBox=\"0 0 \(p(width)) \(p(height))\" role=\"img\" "
      + "aria-label=\"" + HTMLEscape.attribute(label) + "\">"
    for (index, column) in columns.enumerated() {
      let h = plot * Double(column.value) / Double(top)
      let x = Double(index) * columnWidth
      out +=
        "<g><title>" + HTMLEscape.svgText(column.label) + ": \(ReportText.count(column.value))"
        + "</title><rect class=\"c0\" x=\"\(p(x + 4))\" y=\"\(p(20 + plot - h))\" "
        + "width=\"\(p(columnWidth - 8))\" height=\"\(p(h))\"/>"
        + "<text class=\"muted\" x=\"\(p(x + columnWidth / 2))\" y=\"\(p(14 + plot - h))\" "
        + "text-anchor=\"middle\">\(ReportText.count(column.value))</text>"
        + "<text x=\"\(p(x + columnWidth / 2))\" y=\"\(p(20 + plot + 18))\" "
        + "text-anchor=\"middle\">" + HTMLEscape.svgText(column.label) + "</text></g>"
    }
    return out + "</svg>"
  }

  /// Sessions per day, each column stacked by channel (in ``ReportColors`` order).
  static func days(_ days: [SessionDistributions.Day], colors: ReportColors) -> String {
    guard !days.isEmpty else { return "" }
    let width = 960.0
    let height = 220.0
    let plot = 170.0
    let columnWidth = width / Double(days.count)
    let top = max(1, days.map { $0.channels.values.reduce(0, +) }.max() ?? 1)
    let p = ReportText.px
    let labelEvery = max(1, days.count / 12)
    var out =
      "<svg class=\"days\" viewBox=\"0 0 \(p(width)) \(p(height))\" role=\"img\" "
      + "aria-label=\"Sessions per day by channel\">"
    for (index, day) in days.enumerated() {
      let x = Double(index) * columnWidth
      var y = 10 + plot
      var title = "\(day.day): \(ReportText.count(day.sessions)) sessions"
      out += "<g>"
      for channel in colors.channels {
        guard let count = day.channels[channel], count > 0 else { continue }
        let h = plot * Double(count) / Double(top)
        y -= h
        title += ", \(channel) \(ReportText.count(count))"
        out +=
          "<rect class=\"\(colors.fill(channel: channel))\" x=\"\(p(x + 1))\" y=\"\(p(y))\" "
          + "width=\"\(p(max(1, columnWidth - 2)))\" height=\"\(p(h))\"/>"
      }
      out += "<title>" + HTMLEscape.svgText(title) + "</title>"
      if index % labelEvery == 0 {
        out +=
          "<text x=\"\(p(x + columnWidth / 2))\" y=\"\(p(10 + plot + 18))\" "
          + "text-anchor=\"middle\">" + HTMLEscape.svgText(day.day) + "</text>"
      }
      out += "</g>"
    }
    return out + "</svg>"
  }

  /// A legend of the channels' colours.
  static func legend(_ colors: ReportColors) -> String {
    guard !colors.channels.isEmpty else { return "" }
    return "<p class=\"legend\">"
      + colors.channels.map { channel in
        "<span class=\"key \(colors.fill(channel: channel))\"></span>"
          + HTMLEscape.text(channel)
      }.joined(separator: " ") + "</p>"
  }
}
