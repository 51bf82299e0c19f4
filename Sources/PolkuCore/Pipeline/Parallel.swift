import Dispatch
import Synchronization

/// Runs `body(index)` for every index in `0..<count` on `threads` workers and returns the
/// results in index order.
///
/// Workers take the next index from one atomic counter, so a slow item (a large file)
/// does not hold back the others, and results never depend on which worker ran what.
/// `order`, a permutation of `0..<count`, is the order in which indices are handed out
/// (index order when nil): largest items first keeps one worker from finishing a large
/// item alone at the end.
/// This, ``mergeInOrder(parts:threads:into:_:)`` and ``concurrently(threads:_:_:_:)`` are
/// the only places that start parallel work.
public func parallelMap<T: Sendable>(
  count: Int, threads: Int, order: [Int]? = nil, _ body: @Sendable (Int) throws -> T
) throws -> [T] {
  guard count > 0 else { return [] }
  precondition((order?.count ?? count) == count, "parallelMap: order needs one entry per index")
  let slots = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: count))
  let next = Atomic<Int>(0)
  let workers = max(1, min(threads, count))
  withoutActuallyEscaping(body) { body in
    let work: @Sendable (Int) -> Void = { _ in
      while true {
        let taken = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard taken < count else { return }
        let index = order?[taken] ?? taken
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

/// Computes a partial per index in `0..<parts` on `threads` workers and merges them into
/// `total` in index order, each as soon as it and every index before it are done, so only
/// a few partials are alive at a time (path partials can hold millions of candidate
/// journeys each). The result does not depend on `threads`.
public func mergeInOrder<P: Mergeable>(
  parts: Int, threads: Int, into total: consuming P, _ body: @Sendable (Int) -> P
) -> P {
  let pending = Mutex(PendingPartials<P>(partials: Array(repeating: nil, count: parts)))
  // `merged` holds the only reference to the total's storage, so merging never copies it.
  let merged = Mutex<P?>(Optional(consume total))
  @Sendable func mergeReady() {
    // One thread merges at a time; a partial that arrives meanwhile is merged by the
    // merging thread's next look, or by the final call below.
    _ = merged.withLockIfAvailable { total in
      while let partial = pending.withLock({ state -> P? in
        guard state.next < parts, let partial = state.partials[state.next].take() else {
          return nil
        }
        state.next += 1
        return partial
      }) {
        total?.merge(partial)
      }
    }
  }
  let next = Atomic<Int>(0)
  withoutActuallyEscaping(body) { body in
    let work: @Sendable (Int) -> Void = { _ in
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard index < parts else { return }
        let partial = body(index)
        pending.withLock { $0.partials[index] = partial }
        mergeReady()
      }
    }
    let workers = max(1, min(threads, parts))
    if workers == 1 {
      work(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: workers, execute: work)
    }
  }
  mergeReady()
  precondition(pending.withLock { $0.next } == parts, "mergeInOrder: a partial was not merged")
  return merged.withLock { total in
    guard let result = total.take() else { fatalError("mergeInOrder: no total") }
    return result
  }
}

/// Partials computed but not merged yet, and the index of the next one to merge.
private struct PendingPartials<P> {
  var partials: [P?]
  var next = 0
}

/// Runs three independent jobs at once (one after another when `threads` is 1) and
/// returns all results.
///
/// Used for the stages after sessionising, which read the same sessions and do not depend
/// on each other: path mining, churn and the sessions table. The jobs are not run with
/// ``parallelMap``: libdispatch runs a `concurrentPerform` nested in another one on the
/// calling thread alone (it divides the CPUs among nesting levels), so every job's own
/// parallel work (path counting, PrefixSpan, table chunks) was serial, and once the other
/// jobs ended one core stayed idle. Two jobs go to the global queue, the first runs here.
public func concurrently<A: Sendable, B: Sendable, C: Sendable>(
  threads: Int, _ a: @Sendable () throws -> A, _ b: @Sendable () throws -> B,
  _ c: @Sendable () throws -> C
) throws -> (A, B, C) {
  if threads <= 1 { return (try a(), try b(), try c()) }
  let second = Mutex<Result<B, any Error>?>(nil)
  let third = Mutex<Result<C, any Error>?>(nil)
  let first: Result<A, any Error> = withoutActuallyEscaping(b) { b in
    withoutActuallyEscaping(c) { c in
      let group = DispatchGroup()
      let jobs = EscapedJobs(b: b, c: c)
      DispatchQueue.global().async(group: group) {
        let result = Result { try jobs.b() }
        second.withLock { $0 = result }
      }
      DispatchQueue.global().async(group: group) {
        let result = Result { try jobs.c() }
        third.withLock { $0 = result }
      }
      let result = Result { try a() }
      // The closures must not outlive this call: wait for both before returning.
      group.wait()
      return result
    }
  }
  guard let secondResult = second.withLock({ $0 }), let thirdResult = third.withLock({ $0 })
  else {
    throw PolkuError(.io, "internal: a concurrent stage returned no result")
  }
  return (try first.get(), try secondResult.get(), try thirdResult.get())
}

/// Two job closures handed to the global queue; `concurrently` waits for both before
/// they go out of scope.
private struct EscapedJobs<B: Sendable, C: Sendable>: @unchecked Sendable {
  let b: () throws -> B
  let c: () throws -> C
}
