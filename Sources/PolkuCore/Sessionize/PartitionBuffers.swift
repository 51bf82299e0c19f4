/// One buffer of events and one of sort entries per partition, filled by several workers
/// at once (each writes its own positions) and freed partition by partition.
///
/// The buffers are raw memory, so that the scatter writes each event once instead of
/// zero-filling first. The counting pass sized them exactly, so every position is written
/// before a partition is read. Events are plain values (no references to count), so raw
/// writes and a plain free are all they need.
final class PartitionBuffers: @unchecked Sendable {
  let events: [UnsafeMutableBufferPointer<Event>]
  let packed: [UnsafeMutableBufferPointer<UInt64>]
  /// Per partition, whether `sessionize` freed it (each partition has one worker).
  private let freed: UnsafeMutableBufferPointer<Bool>

  init(sizes: [Int]) {
    precondition(_isPOD(Event.self), "PartitionBuffers: Event must stay a plain value")
    events = sizes.map { UnsafeMutableBufferPointer<Event>.allocate(capacity: $0) }
    packed = sizes.map { UnsafeMutableBufferPointer<UInt64>.allocate(capacity: $0) }
    freed = .allocate(capacity: sizes.count)
    freed.initialize(repeating: false)
  }

  /// Sorts partition `index`'s events into sessions and frees its buffers: the events as
  /// soon as they are gathered in order, the sort entries once the sessions are cut.
  func sessionize(_ index: Int, with sessionizer: Sessionizer) -> Sessionizer.Output {
    let entries = packed[index]
    let scratch = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: entries.count)
    defer { scratch.deallocate() }
    let sortedEntries =
      RadixSort.sortByHighWord(entries, scratch: scratch) ? scratch : entries
    let sorted = Sessionizer.gather(UnsafeBufferPointer(events[index]), by: sortedEntries)
    events[index].deallocate()
    let output = sessionizer.run(sorted: consume sorted, packed: UnsafeBufferPointer(sortedEntries))
    entries.deallocate()
    freed[index] = true
    return output
  }

  deinit {
    for index in freed.indices where !freed[index] {
      events[index].deallocate()
      packed[index].deallocate()
    }
    freed.deallocate()
  }
}
