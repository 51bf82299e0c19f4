/// What kind of touchpoint an event is. At most four kinds: an ``Event`` keeps it in 2 bits.
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

/// One accepted input event, 32 bytes, with every string interned (a sessionised batch keeps
/// 16 bytes of each, see ``SessionEvent``).
///
/// `name`, `anonymousId`, `userId`, `source` and `channel` are ids into the run's
/// ``EventTables``; 0 means "none". The time, the channel, the kind and whether the event
/// was carried from the state share one 64-bit word (``timeAndTags``): at 20 M events the
/// ingest and sessionise stages hold 160 MB less than with a field each.
///
/// An event does not keep where it came from: its position does. Each file's chunk holds
/// its events in line order, chunks are in input order (carried events last), and every
/// stage that reorders events keeps that order for ties, so two events of one visitor with
/// the same timestamp come out in input order whatever the number of threads.
public struct Event: Sendable, Equatable {
  /// Bits 0–52: the time (milliseconds since 1970-01-01T00:00:00Z, two's complement);
  /// 53–60: the channel; 61–62: the kind; 63: carried from the state.
  public private(set) var timeAndTags: UInt64
  /// A 64-bit hash of the message id (0 when the input has none); equal hashes of one
  /// visitor are duplicates.
  public var messageHash: UInt64
  public var anonymousId: UInt32
  public var userId: UInt32
  /// The page path (page views) or the event name (track events, contacts).
  public var name: UInt32
  /// The campaign source (utm_source), 0 when none.
  public var source: UInt32

  /// The times an event can hold: 53-bit milliseconds, ±142,000 years (timestamps are
  /// parsed to 1970–2100 only, ``TimestampParser/endMillis``).
  public static let timeRange: ClosedRange<Int64> =
    -(1 << Int64(timeBits - 1))...((1 << Int64(timeBits - 1)) - 1)

  private static let timeBits: UInt64 = 53
  private static let timeMask: UInt64 = (1 << timeBits) - 1
  private static let channelShift = timeBits
  private static let kindShift = channelShift + 8
  private static let carriedBit: UInt64 = 1 << 63

  /// Milliseconds since 1970-01-01T00:00:00Z.
  public var time: Int64 {
    // Shifted up and back down arithmetically, so the sign bit of the 53 comes back.
    @inline(__always) get {
      Int64(bitPattern: timeAndTags << (64 - Event.timeBits)) >> (64 - Event.timeBits)
    }
    set {
      precondition(Event.timeRange.contains(newValue), "Event: time \(newValue) out of range")
      timeAndTags = timeAndTags & ~Event.timeMask | UInt64(bitPattern: newValue) & Event.timeMask
    }
  }

  /// The channel (`web`, `email`, `call_center`, …), an id into ``EventTables/channels``.
  public var channel: UInt8 {
    @inline(__always) get { UInt8(truncatingIfNeeded: timeAndTags >> Event.channelShift) }
    set {
      timeAndTags =
        timeAndTags & ~(0xFF << Event.channelShift) | UInt64(newValue) << Event.channelShift
    }
  }

  public var kind: EventKind {
    @inline(__always) get {
      EventKind(rawValue: UInt8(truncatingIfNeeded: timeAndTags >> Event.kindShift) & 3)
        ?? .page
    }
    set {
      timeAndTags =
        timeAndTags & ~(3 << Event.kindShift) | UInt64(newValue.rawValue) << Event.kindShift
    }
  }

  /// Whether the event was carried from the state (see ``SessionTails``).
  public var isCarried: Bool {
    @inline(__always) get { timeAndTags & Event.carriedBit != 0 }
    set { timeAndTags = timeAndTags & ~Event.carriedBit | (newValue ? Event.carriedBit : 0) }
  }

  /// `time` must be in ``timeRange``.
  public init(
    time: Int64, messageHash: UInt64 = 0, anonymousId: UInt32, userId: UInt32, name: UInt32,
    source: UInt32 = 0, channel: UInt8 = 0, kind: EventKind = .page, isCarried: Bool = false
  ) {
    precondition(Event.timeRange.contains(time), "Event: time \(time) out of range")
    timeAndTags =
      UInt64(bitPattern: time) & Event.timeMask | UInt64(channel) << Event.channelShift
      | UInt64(kind.rawValue) << Event.kindShift | (isCarried ? Event.carriedBit : 0)
    self.messageHash = messageHash
    self.anonymousId = anonymousId
    self.userId = userId
    self.name = name
    self.source = source
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
