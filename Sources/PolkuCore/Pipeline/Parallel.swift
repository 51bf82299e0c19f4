import Dispatch
import Synchronization

/// Runs `body(index)` for every index in `0..<count` on `threads` workers and returns the
/// results in index order.
///
/// Workers take the next index from one atomic counter, so a slow item (a large file)
/// does not hold back the others, and results never depend on which worker ran what.
/// This is the only place in polku that starts threads.
public func parallelMap<T: Sendable>(
  count: Int, threads: Int, _ body: @Sendable (Int) throws -> T
) throws -> [T] {
  guard count > 0 else { return [] }
  let slots = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: count))
  let next = Atomic<Int>(0)
  let workers = max(1, min(threads, count))
  withoutActuallyEscaping(body) { body in
    let work: @Sendable (Int) -> Void = { _ in
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard index < count else { return }
        let result = Result { try body(index) }
        slots.withLock { $0[index] = result }
      }
    }
    if workers == 1 {
      work(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: workers, execute: work)
    }
  }
  return try slots.withLock { slots in
    try slots.map { slot in
      guard let slot else { fatalError("parallelMap: index not run") }
      return try slot.get()
    }
  }
}
