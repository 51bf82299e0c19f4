/// Which goals each distinct name reaches, computed once per run from the name table.
public struct GoalMasks: Sendable {
  /// Goal bits reached by a page view of name id `i`.
  public var page: [UInt64]
  /// Goal bits reached by a track event or contact of name id `i`.
  public var event: [UInt64]

  public init(goals: [GoalSpec], names: SymbolTable) {
    page = [UInt64](repeating: 0, count: names.count)
    event = [UInt64](repeating: 0, count: names.count)
    for (bit, goal) in goals.enumerated() where bit < 64 {
      if let name = goal.page, let id = names.lookup(name) { page[Int(id)] |= 1 << UInt64(bit) }
      if let name = goal.event, let id = names.lookup(name) {
        event[Int(id)] |= 1 << UInt64(bit)
      }
    }
  }

  /// The goals `event` reaches.
  @inline(__always)
  public func mask(_ event: Event) -> UInt64 { mask(kind: event.kind, name: event.name) }

  /// The goals a sessionised `event` reaches.
  @inline(__always)
  public func mask(_ event: SessionEvent) -> UInt64 { mask(kind: event.kind, name: event.name) }

  @inline(__always)
  private func mask(kind: EventKind, name: UInt32) -> UInt64 {
    switch kind {
    case .page: page[Int(name)]
    case .track, .contact: event[Int(name)]
    case .identify: 0
    }
  }
}
