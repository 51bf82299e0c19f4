import Synchronization
import Testing

@testable import PolkuCore

@Suite struct ParallelTests {
  @Test(arguments: [1, 2, 5])
  func parallelMapKeepsIndexOrder(threads: Int) throws {
    let squares = try parallelMap(count: 1000, threads: threads) { $0 * $0 }
    #expect(squares == (0..<1000).map { $0 * $0 })
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
