/// The Sankey diagram of step-to-step transitions (`transitions.csv`): steps on the left,
/// the steps that followed them on the right, a band per pair as wide as its count.
///
/// The busiest ``maxNodes`` sources and targets keep their own node; the rest of each side
/// is one `(other)` node, so every row of the file is in exactly one band: the bands of a
/// node add up to the node, and both sides add up to every transition in the file.
struct Sankey: Sendable, Equatable {
  struct Node: Sendable, Equatable {
    var label: String
    var count: Int
  }

  struct Band: Sendable, Equatable {
    /// Indices in ``sources`` and ``targets``.
    var source: Int
    var target: Int
    var count: Int
  }

  static let other = "(other)"
  /// Nodes a side keeps besides `(other)`.
  static let maxNodes = 12
  var sources: [Node] = []
  var targets: [Node] = []
  /// In source order, then target order.
  var bands: [Band] = []
  /// Every transition in the file.
  var total = 0

  /// The diagram of `table` (columns `source`, `target`, `count`).
  init(_ table: CSVTable, maxNodes: Int = Sankey.maxNodes) {
    var edges: [(source: String, target: String, count: Int)] = []
    for row in table.rows {
      guard let count = Int(table.cell(row, "count")), count > 0 else { continue }
      edges.append((table.cell(row, "source"), table.cell(row, "target"), count))
    }
    let keptSources = Sankey.busiest(edges.map { ($0.source, $0.count) }, limit: maxNodes)
    let keptTargets = Sankey.busiest(edges.map { ($0.target, $0.count) }, limit: maxNodes)
    var sourceIndex: [String: Int] = [:]
    var targetIndex: [String: Int] = [:]
    for (index, label) in keptSources.enumerated() { sourceIndex[label] = index }
    for (index, label) in keptTargets.enumerated() { targetIndex[label] = index }
    sources = keptSources.map { Node(label: $0, count: 0) }
    targets = keptTargets.map { Node(label: $0, count: 0) }
    var counts: [Int: Int] = [:]
    for edge in edges {
      let source = Sankey.slot(edge.source, in: &sourceIndex, nodes: &sources)
      let target = Sankey.slot(edge.target, in: &targetIndex, nodes: &targets)
      sources[source].count += edge.count
      targets[target].count += edge.count
      counts[source << 16 | target, default: 0] += edge.count
      total += edge.count
    }
    bands = counts.keys.sorted().compactMap { key in
      counts[key].map { Band(source: key >> 16, target: key & 0xFFFF, count: $0) }
    }
  }

  /// The `limit` labels with the largest totals (ties by label), `(other)` never among them.
  private static func busiest(_ counts: [(String, Int)], limit: Int) -> [String] {
    var totals: [String: Int] = [:]
    for (label, count) in counts where label != other { totals[label, default: 0] += count }
    let ordered = totals.sorted {
      $0.value != $1.value ? $0.value > $1.value : utf8Precedes($0.key, $1.key)
    }
    return ordered.prefix(limit).map(\.key)
  }

  /// The node of `label`, the `(other)` node (added last, once) when it has none.
  private static func slot(_ label: String, in index: inout [String: Int], nodes: inout [Node])
    -> Int
  {
    if let slot = index[label] { return slot }
    if let slot = index[other] { return slot }
    nodes.append(Node(label: other, count: 0))
    index[other] = nodes.count - 1
    return nodes.count - 1
  }

  /// The channel part of a step label (`web` of `web:/cart`), nil for `(start)`, `(exit)`,
  /// `(other)` and labels without one.
  static func channel(of label: String) -> String? {
    guard !label.hasPrefix("("), let colon = label.firstIndex(of: ":") else { return nil }
    return String(label[..<colon])
  }
}

extension Sankey {
  /// The diagram as inline SVG. Colours are classes by channel (``ReportColors``); every
  /// node and band has a `<title>` with its figures (shown on hover).
  func svg(colors: ReportColors) -> String {
    let width = 960.0
    let nodeWidth = 14.0
    let gap = 6.0
    let left = 300.0
    let right = width - 300.0 - nodeWidth
    let rows = Double(max(sources.count, targets.count))
    let height = max(240.0, rows * 34.0)
    guard total > 0 else { return "" }
    let scale = (height - gap * max(0, rows - 1)) / Double(total)
    func positions(_ nodes: [Node]) -> [Double] {
      var y = 0.0
      return nodes.map { node in
        defer { y += Double(node.count) * scale + gap }
        return y
      }
    }
    let sourceY = positions(sources)
    let targetY = positions(targets)
    var out =
      "<svg class=\"sankey\" viewBox=\"0 0 \(ReportText.px(width)) \(ReportText.px(height))\" "
      + "role=\"img\" aria-label=\"Step-to-step transitions\">"
    var sourceOffset = sourceY
    var targetOffset = targetY
    // Bands of a target stacked in source order, of a source in target order.
    let byTarget = bands.indices.sorted {
      (bands[$0].target, bands[$0].source) < (bands[$1].target, bands[$1].source)
    }
    var targetStart = [Int: Double]()
    for index in byTarget {
      let band = bands[index]
      targetStart[index] = targetOffset[band.target]
      targetOffset[band.target] += Double(band.count) * scale
    }
    for (index, band) in bands.enumerated() {
      let thickness = Double(band.count) * scale
      let y0 = sourceOffset[band.source]
      sourceOffset[band.source] += thickness
      let y1 = targetStart[index] ?? 0
      let x0 = left + nodeWidth
      let x1 = right
      let mid = (x0 + x1) / 2
      let p = ReportText.px
      let path =
        "M\(p(x0)),\(p(y0))C\(p(mid)),\(p(y0)) \(p(mid)),\(p(y1)) \(p(x1)),\(p(y1))"
        + "L\(p(x1)),\(p(y1 + thickness))C\(p(mid)),\(p(y1 + thickness)) \(p(mid)),"
        + "\(p(y0 + thickness)) \(p(x0)),\(p(y0 + thickness))Z"
      let source = sources[band.source]
      let target = targets[band.target]
      out +=
        "<path class=\"band \(colors.fill(source.label)) s\(band.source) t\(band.target)\" "
        + "d=\"\(path)\" data-count=\"\(band.count)\"><title>"
        + HTMLEscape.svgText("\(source.label) → \(target.label): ")
        + "\(ReportText.count(band.count)) (\(ReportText.percent(band.count, of: total)))"
        + "</title></path>"
    }
    for (side, nodes, ys, x) in [
      ("s", sources, sourceY, left), ("t", targets, targetY, right),
    ] {
      for (index, node) in nodes.enumerated() {
        let h = max(1, Double(node.count) * scale)
        let p = ReportText.px
        let labelX = side == "s" ? x - 6 : x + nodeWidth + 6
        let anchor = side == "s" ? "end" : "start"
        out +=
          "<g class=\"node \(side)\(index)\"><rect class=\"\(colors.fill(node.label))\" "
          + "x=\"\(p(x))\" y=\"\(p(ys[index]))\" width=\"\(p(nodeWidth))\" height=\"\(p(h))\">"
          + "<title>" + HTMLEscape.svgText(node.label) + ": \(ReportText.count(node.count))"
          + "</title></rect><text x=\"\(p(labelX))\" y=\"\(p(ys[index] + h / 2))\" "
          + "text-anchor=\"\(anchor)\" dominant-baseline=\"middle\">"
          + HTMLEscape.svgText(ReportColors.shortened(node.label, to: 38))
          + " <tspan class=\"muted\">\(ReportText.count(node.count))</tspan></text></g>"
      }
    }
    return out + "</svg>"
  }

  /// CSS that dims the other bands while a node is hovered (no script: `:has()`).
  var highlightCSS: String {
    var rules: [String] = []
    for index in sources.indices {
      rules.append(".sankey:has(.node.s\(index):hover) .band:not(.s\(index))")
    }
    for index in targets.indices {
      rules.append(".sankey:has(.node.t\(index):hover) .band:not(.t\(index))")
    }
    return rules.isEmpty ? "" : rules.joined(separator: ",") + "{opacity:.08}"
  }
}
