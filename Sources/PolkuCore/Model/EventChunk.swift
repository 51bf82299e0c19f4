/// A movable array of events, so a stage can take ownership without a copy.
///
/// Stages pass events along in chunks (one per input file, then one per partition);
/// ``take()`` hands the array over and leaves the chunk empty, so the memory of a stage's
/// input is released as soon as the next stage has consumed it, and peak memory stays
/// near one copy of the events. A chunk is read or taken by one worker at a time.
public final class EventChunk: @unchecked Sendable {
  public private(set) var events: [Event]
  public private(set) var keys: [VisitorKey]

  public init(_ events: [Event] = [], keys: [VisitorKey] = []) {
    self.events = events
    self.keys = keys
  }

  /// Hands the events (and keys) over, leaving the chunk empty.
  public func take() -> (events: [Event], keys: [VisitorKey]) {
    let taken = (events, keys)
    events = []
    keys = []
    return taken
  }

  /// Replaces the contents.
  public func put(_ events: [Event], keys: [VisitorKey] = []) {
    self.events = events
    self.keys = keys
  }
}
