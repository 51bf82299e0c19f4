/// The ingest stage of `polku merge`: the files as map tasks read them on a cluster
/// (``MapParts``) → the same output ``IngestStage`` gives `polku run`.
///
/// Each file's bad rows go to its part in the staging folder, the files' tables are
/// merged in the order `polku run` reads them (largest first), and
/// ``IngestStage/combine(_:files:sizes:merged:spec:threads:staging:)`` does the rest, so
/// ids, events and counters are those of `polku run` on the same files.
struct MapPartsStage: Stage {
  static let name = "ingest"

  let spec: PipelineSpec
  let threads: Int
  let staging: String

  func run(_ parts: consuming MapParts) throws -> IngestStage.Output {
    var parts = parts
    for (index, rows) in parts.badRows.enumerated() where parts.batches[index] != nil {
      let file = try BufferedFile(creating: "\(staging)/bad_rows.\(index).part")
      for row in rows { try file.append(row + [10]) }
      try file.close()
    }
    parts.badRows = []
    let order = IngestStage.largestFirst(parts.sizes)
    let merger = TableMerger(order: order)
    var batches = parts.batches
    parts.batches = []
    for index in order {
      merger.add(batches[index]?.tables, file: index)
      batches[index]?.tables = EventTables()
    }
    return IngestStage.combine(
      batches, files: parts.files, sizes: parts.sizes, merged: merger.finish(), spec: spec,
      threads: threads, staging: staging)
  }
}
