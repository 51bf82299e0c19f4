import Synchronization
import Testing

@testable import PolkuCore

@Suite struct ParallelTests {
  @Test(arguments: [1, 2, 5])
  func parallelMapKeepsIndexOrder(threads: Int) throws {
    let squares = try parallelMap(count: 1000, threads: threads) { $0 * $0 }
    #expect(squares == (0..<1000).map { $0 * $0 })
  }

  /// With an order, indices are handed out in that order (one worker takes them one by
  /// one), and the results still come back in index order.
  @Test(arguments: [1, 2, 5])
  func parallelMapTakesIndicesInTheGivenOrder(threads: Int) throws {
    let order = (0..<200).map { ($0 * 37) % 200 }  // a permutation
    let taken = Mutex<[Int]>([])
    let squares = try parallelMap(count: 200, threads: threads, order: order) { index in
      taken.withLock { $0.append(index) }
      return index * index
    }
    #expect(squares == (0..<200).map { $0 * $0 })
    let seen = taken.withLock { $0 }
    #expect(seen.sorted() == Array(0..<200))
    if threads == 1 { #expect(seen == order) }
  }

  /// Largest files first, equal sizes in input order; the merger gives ids in that order
  /// and hands the maps back per file index, a skipped file's maps empty.
  @Test(arguments: [1, 2, 4])
  func tablesMergeInTheReadingOrder(threads: Int) throws {
    let sizes = [10, 30, 20, 30, 0]
    let order = IngestStage.largestFirst(sizes)
    #expect(order == [1, 3, 2, 0, 4])
    let merger = TableMerger(order: order)
    _ = try parallelMap(count: sizes.count, threads: threads, order: order) { file in
      guard file != 4 else { return merger.add(nil, file: file) }
      var tables = EventTables()
      _ = tables.ids.intern("shared")
      _ = tables.ids.intern("file-\(file)")
      merger.add(tables, file: file)
    }
    let merged = merger.finish()
    #expect(merged.tables.ids.strings == ["shared", "file-1", "file-3", "file-2", "file-0"])
    #expect(merged.maps.map(\.ids) == [[0, 1, 5], [0, 1, 2], [0, 1, 4], [0, 1, 3], []])
  }

  struct Boom: Error, Equatable {
    let job: Int
  }

  @Test(arguments: [1, 2, 4])
  func concurrentlyReturnsEveryResultAndNestsParallelWork(threads: Int) throws {
    // Each job runs parallel work of its own, as path mining and the sessions table do.
    let (a, b, c) = try concurrently(
      threads: threads,
      { try parallelMap(count: 300, threads: threads) { $0 }.reduce(0, +) },
      { "churn" },
      { try parallelMap(count: 10, threads: threads) { $0 * 2 } })
    #expect(a == 44_850)
    #expect(b == "churn")
    #expect(c == (0..<10).map { $0 * 2 })
  }

  @Test(arguments: [1, 3])
  func concurrentlyRunsEveryJobEvenWhenOneFails(threads: Int) {
    let ran = Atomic<Int>(0)
    #expect(throws: Boom(job: 2)) {
      _ = try concurrently(
        threads: threads,
        { ran.wrappingAdd(1, ordering: .relaxed) },
        { () throws -> Int in
          ran.wrappingAdd(1, ordering: .relaxed)
          throw Boom(job: 2)
        },
        { ran.wrappingAdd(1, ordering: .relaxed) })
    }
    #expect(ran.load(ordering: .relaxed) == (threads == 1 ? 2 : 3))
  }
}
