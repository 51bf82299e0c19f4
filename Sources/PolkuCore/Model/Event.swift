/// What kind of touchpoint an event is.
public enum EventKind: UInt8, Sendable, CaseIterable {
  /// A page or screen view: its name is the normalised page path.
  case page
  /// A tracked action (`Signed Up`, `Order Completed`): its name is the event name.
  case track
  /// An identify call: ties an anonymous id to a user id; no step of its own.
  case identify
  /// A contact on a non-web channel (call, chat, store visit, e-mail click).
  case contact
}

/// One accepted input event, 40 bytes, with every string interned (a sessionised batch keeps
/// 16 bytes of each, see ``SessionEvent``).
///
/// `name`, `anonymousId`, `userId`, `source` and `channel` are ids into the run's
/// ``EventTables``; 0 means "none". `file` and `line` say where the event came from and
/// break ties when two events of one visitor share a timestamp, so order is deterministic.
public struct Event: Sendable, Equatable {
  /// Milliseconds since 1970-01-01T00:00:00Z.
  public var time: Int64
  /// A 64-bit hash of the message id (0 when the input has none); equal hashes of one
  /// visitor are duplicates.
  public var messageHash: UInt64
  public var anonymousId: UInt32
  public var userId: UInt32
  /// The page path (page views) or the event name (track events, contacts).
  public var name: UInt32
  /// The campaign source (utm_source), 0 when none.
  public var source: UInt32
  /// The input line number, 1-based.
  public var line: UInt32
  /// The index of the input file in the run's sorted input list.
  public var file: UInt16
  /// The channel (`web`, `email`, `call_center`, …), an id into ``EventTables/channels``.
  public var channel: UInt8
  public var kind: EventKind

  /// The `file` of events carried over from the previous night's open sessions.
  public static let carriedFile = UInt16.max

  /// Whether the event was carried from the state (see ``SessionTails``).
  public var isCarried: Bool { file == Event.carriedFile }

  public init(
    time: Int64, messageHash: UInt64 = 0, anonymousId: UInt32, userId: UInt32, name: UInt32,
    source: UInt32 = 0, line: UInt32 = 0, file: UInt16 = 0, channel: UInt8 = 0,
    kind: EventKind = .page
  ) {
    self.time = time
    self.messageHash = messageHash
    self.anonymousId = anonymousId
    self.userId = userId
    self.name = name
    self.source = source
    self.line = line
    self.file = file
    self.channel = channel
    self.kind = kind
  }
}

/// The string tables an ``Event`` refers to.
public struct EventTables: Sendable {
  /// Anonymous ids and user ids share one table.
  public var ids = SymbolTable(capacity: 1 << 12)
  /// Page paths and event names.
  public var names = SymbolTable(capacity: 1 << 10)
  /// Campaign sources.
  public var sources = SymbolTable(capacity: 64)
  /// Channels; at most 255.
  public var channels = SymbolTable(capacity: 16)

  public init() {}
}
