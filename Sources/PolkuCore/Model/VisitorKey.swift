/// The key a visitor's events are grouped by: an anonymous id or a user id.
///
/// Both kinds of id live in ``EventTables/ids``; the low bit keeps them apart, so an
/// anonymous id that happens to equal a user id is still a different visitor.
public struct VisitorKey: Hashable, Comparable, Sendable {
  public var raw: UInt32

  public init(id: UInt32, isUser: Bool) {
    raw = id << 1 | (isUser ? 1 : 0)
  }

  /// The key whose ``raw`` value is `raw`.
  public init(raw: UInt32) {
    self.raw = raw
  }

  /// The id in ``EventTables/ids``.
  public var id: UInt32 { raw >> 1 }
  /// Whether the key is a user id (else an anonymous id).
  public var isUser: Bool { raw & 1 == 1 }

  public static func < (lhs: VisitorKey, rhs: VisitorKey) -> Bool { lhs.raw < rhs.raw }
}
