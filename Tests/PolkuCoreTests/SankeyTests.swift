import Testing

@testable import PolkuCore

/// The Sankey of `transitions.csv`: every row in exactly one band, widths that add up.
@Suite struct SankeyTests {
  /// A transitions table with more sources and targets than the diagram keeps.
  static func table(sources: Int, targets: Int) -> (CSVTable, [(String, String, Int)]) {
    var rows: [(String, String, Int)] = []
    for s in 0..<sources {
      for t in 0..<targets where (s + t) % 3 != 0 {
        rows.append(("web:/s\(s)", "app:/t\(t)", (s * 7 + t * 3) % 11 + 1))
      }
    }
    rows.append(("web:/s0", "(other)", 5))
    rows.append(("(start)", "web:/s1", 9))
    var text = "source,target,count,share\n"
    for row in rows { text += "\(row.0),\(row.1),\(row.2),0.0100\n" }
    return (CSVTable(Array(text.utf8)), rows)
  }

  @Test(arguments: [(3, 4), (20, 25)])
  func widthsAddUp(sources: Int, targets: Int) {
    let (table, rows) = Self.table(sources: sources, targets: targets)
    let sankey = Sankey(table, maxNodes: 12)
    let total = rows.reduce(0) { $0 + $1.2 }
    #expect(sankey.total == total)
    #expect(sankey.bands.reduce(0) { $0 + $1.count } == total)
    #expect(sankey.sources.reduce(0) { $0 + $1.count } == total)
    #expect(sankey.targets.reduce(0) { $0 + $1.count } == total)
    #expect(sankey.sources.count <= 13 && sankey.targets.count <= 13)
    // Each node is the sum of its bands and of the CSV rows it stands for.
    for (index, node) in sankey.sources.enumerated() {
      let bands = sankey.bands.filter { $0.source == index }.reduce(0) { $0 + $1.count }
      #expect(bands == node.count)
      if node.label != Sankey.other {
        #expect(node.count == rows.filter { $0.0 == node.label }.reduce(0) { $0 + $1.2 })
      }
    }
    for (index, node) in sankey.targets.enumerated() {
      let bands = sankey.bands.filter { $0.target == index }.reduce(0) { $0 + $1.count }
      #expect(bands == node.count)
      if node.label != Sankey.other {
        #expect(node.count == rows.filter { $0.1 == node.label }.reduce(0) { $0 + $1.2 })
      }
    }
    // One `(other)` node at most a side, and last.
    #expect(sankey.sources.dropLast().allSatisfy { $0.label != Sankey.other })
    #expect(sankey.targets.dropLast().allSatisfy { $0.label != Sankey.other })
  }

  @Test func keptNodesAreTheBusiest() {
    let (table, rows) = Self.table(sources: 20, targets: 25)
    let sankey = Sankey(table, maxNodes: 5)
    var totals: [String: Int] = [:]
    for row in rows where row.0 != "(other)" { totals[row.0, default: 0] += row.2 }
    let smallestKept = sankey.sources.filter { $0.label != Sankey.other }.map(\.count).min() ?? 0
    let kept = Set(sankey.sources.map(\.label))
    for (label, count) in totals where !kept.contains(label) { #expect(count <= smallestKept) }
  }

  @Test func svgHasABandPerPairAndEscapesLabels() {
    let text =
      "source,target,count,share\n\"<script>alert(1)</script>\",web:/b,3,0.5\nweb:/b,(exit),3,0.5\n"
    let sankey = Sankey(CSVTable(Array(text.utf8)))
    let svg = sankey.svg(colors: ReportColors(channels: ["web"]))
    #expect(svg.ranges(of: "<path class=\"band").count == sankey.bands.count)
    #expect(!svg.contains("<script>"))
    #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
  }

  @Test func csvTableReadsQuotedCells() {
    let table = CSVTable(Array("a,b\n\"x,\"\"y\"\"\",\"line\nbreak\"\n1,\n".utf8))
    #expect(table.header == ["a", "b"])
    #expect(table.rows == [["x,\"y\"", "line\nbreak"], ["1", ""]])
  }
}
