/// A movable array of events, so a stage can take ownership without a copy.
///
/// Stages pass events along in chunks (one per input file); ``take()`` hands the array
/// over and leaves the chunk empty, so the memory of a stage's input is released as soon
/// as the next stage has consumed it, and peak memory stays near one copy of the events.
/// A chunk is read or taken by one worker at a time.
public final class EventChunk: @unchecked Sendable {
  public private(set) var events: [Event]

  public init(_ events: [Event] = []) {
    self.events = events
  }

  /// Hands the events over, leaving the chunk empty.
  public func take() -> [Event] {
    let taken = events
    events = []
    return taken
  }

  /// Replaces the contents.
  public func put(_ events: [Event]) {
    self.events = events
  }
}
