import Synchronization

/// The events a run may hold (``MemoryLimit/maxEvents``), counted by every file's ingest
/// as it accepts them: the first file to pass it stops the run.
final class EventBudget: Sendable {
  let limit: MemoryLimit
  private let taken = Atomic<Int>(0)

  init(limit: MemoryLimit) {
    self.limit = limit
  }

  /// Counts `count` more accepted events; throws once the run's total passes the budget.
  func take(_ count: Int) throws {
    let total = taken.wrappingAdd(count, ordering: .relaxed).newValue
    guard total > limit.maxEvents else { return }
    throw EventBudget.exceeded(events: total, limit: limit, soFar: true)
  }

  /// The error of a night that does not fit: what it needs, what the limit is, what to do.
  static func exceeded(events: Int, limit: MemoryLimit, soFar: Bool) -> PolkuError {
    let need = events * MemoryLimit.bytesPerEvent + MemoryLimit.baseBytes
    return PolkuError(
      .resources,
      "\(soFar ? "after \(events) events read, this" : "this run's \(events) events: the") "
        + "night needs more than --memory-limit \(limit) (at least \(MemoryLimit.text(need)) "
        + "at its peak, about \(MemoryLimit.bytesPerEvent) bytes an event); stopped before "
        + "running out of memory, nothing published, previous outputs kept. polku does "
        + "not run out of core yet: raise --memory-limit if the machine has the memory, "
        + "or split the run (--date, or fewer files a run)")
  }
}
