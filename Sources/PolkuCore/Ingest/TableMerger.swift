import Synchronization

/// Merges the files' string tables into the run's tables in a fixed order (the order the
/// files are read in) while ingest is still running: a finished file's tables are
/// absorbed as soon as every file before it in that order has been, by whichever worker
/// gets there, so the merge overlaps the reading of later files instead of running alone
/// at the end. Ids depend only on the merge order.
final class TableMerger: Sendable {
  /// Per table, the merged id of each of one file's ids (empty for a skipped file).
  struct IdMaps: Sendable {
    var ids: [UInt32] = []
    var names: [UInt32] = []
    var sources: [UInt32] = []
    var channels: [UInt32] = []
  }

  /// The run's tables and, per file in file index order, its id maps.
  struct Merged: Sendable {
    var tables: EventTables
    var maps: [IdMaps]
  }

  private struct Pending {
    /// Per file, by index.
    var tables: [EventTables?]
    var ready: [Bool]
    /// The position in `order` of the next file to merge.
    var next = 0
  }

  private struct Merging {
    var tables = EventTables()
    /// Per file; nil until merged.
    var maps: [IdMaps?]
    var mergedCount = 0
  }

  private let pending: Mutex<Pending>
  private let merged: Mutex<Merging>
  /// File indices in merge order.
  private let order: [Int]

  /// A merger for `order.count` files, merged in `order` (a permutation of their indices).
  init(order: [Int]) {
    self.order = order
    let files = order.count
    pending = Mutex(
      Pending(
        tables: Array(repeating: nil, count: files), ready: Array(repeating: false, count: files)))
    merged = Mutex(Merging(maps: Array(repeating: nil, count: files)))
  }

  /// Hands over file `file`'s tables (nil for a file no input matches).
  func add(_ tables: EventTables?, file: Int) {
    pending.withLock {
      $0.tables[file] = tables
      $0.ready[file] = true
    }
    mergeReady()
  }

  /// The merged tables and, per file (in file index order), the map from its ids to the
  /// merged ones (empty for a skipped file). Call after every file was added.
  func finish() -> Merged {
    mergeReady()
    return merged.withLock { merged in
      precondition(merged.mergedCount == order.count, "TableMerger: a file was not merged")
      let result = Merged(
        tables: merged.tables,
        maps: merged.maps.map { maps in
          guard let maps else { fatalError("TableMerger: a file was not merged") }
          return maps
        })
      merged = Merging(maps: [])
      return result
    }
  }

  private func mergeReady() {
    // One merger at a time; a file that becomes ready meanwhile is picked up by the
    // merger's next look, or by `finish()`.
    _ = merged.withLockIfAvailable { merged in
      while let (file, tables) = pending.withLock({ state -> (Int, EventTables?)? in
        guard state.next < order.count else { return nil }
        let file = order[state.next]
        guard state.ready[file] else { return nil }
        let tables = state.tables[file]
        state.tables[file] = nil
        state.next += 1
        return (file, tables)
      }) {
        merged.mergedCount += 1
        guard let tables else {
          merged.maps[file] = IdMaps()
          continue
        }
        merged.maps[file] = IdMaps(
          ids: merged.tables.ids.absorb(tables.ids),
          names: merged.tables.names.absorb(tables.names),
          sources: merged.tables.sources.absorb(tables.sources),
          channels: merged.tables.channels.absorb(tables.channels))
      }
    }
  }
}
