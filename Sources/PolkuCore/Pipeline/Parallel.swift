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

/// Runs three independent jobs at once (on up to `threads` workers) and returns all results.
///
/// Used for the stages after sessionising, which read the same sessions and do not depend
/// on each other: path mining, churn and the sessions table.
public func concurrently<A: Sendable, B: Sendable, C: Sendable>(
  threads: Int, _ a: @Sendable () throws -> A, _ b: @Sendable () throws -> B,
  _ c: @Sendable () throws -> C
) throws -> (A, B, C) {
  let results = Mutex<(A?, B?, C?)>((nil, nil, nil))
  _ = try withoutActuallyEscaping(a) { a in
    try withoutActuallyEscaping(b) { b in
      try withoutActuallyEscaping(c) { c in
        try parallelMap(count: 3, threads: threads) { index in
          switch index {
          case 0:
            let value = try a()
            results.withLock { $0.0 = value }
          case 1:
            let value = try b()
            results.withLock { $0.1 = value }
          default:
            let value = try c()
            results.withLock { $0.2 = value }
          }
        }
      }
    }
  }
  return try results.withLock { values in
    guard let first = values.0, let second = values.1, let third = values.2 else {
      throw PolkuError(.io, "internal: a concurrent stage returned no result")
    }
    return (first, second, third)
  }
}
