/// A set of step pairs (`first << 32 | second`), for the per-step "is this pair frequent"
/// test of the later path-mining passes.
///
/// Open addressing with a multiplicative hash: a lookup is a multiply, a shift and
/// usually one compare, where `Set<UInt64>` would run SipHash for every step of every
/// session.
struct PairSet: Sendable {
  private var slots: [UInt64]
  private let shift: UInt64
  private static let empty = UInt64.max

  /// The number of pairs.
  let count: Int

  init<S: Sequence>(_ pairs: S) where S.Element == UInt64 {
    let unique = Array(Set(pairs))
    var bits: UInt64 = 4
    while (1 << bits) < unique.count * 2 { bits += 1 }
    slots = [UInt64](repeating: PairSet.empty, count: 1 << bits)
    shift = 64 - bits
    count = unique.count
    let mask = slots.count - 1
    for pair in unique where pair != PairSet.empty {
      var slot = Int(truncatingIfNeeded: (pair &* 0x9E37_79B9_7F4A_7C15) >> shift)
      while slots[slot] != PairSet.empty { slot = (slot + 1) & mask }
      slots[slot] = pair
    }
  }

  var isEmpty: Bool { count == 0 }

  /// Whether `first` followed by `second` is in the set.
  @inline(__always)
  func contains(_ first: UInt32, _ second: UInt32) -> Bool {
    let pair = UInt64(first) << 32 | UInt64(second)
    return slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      var slot = Int(truncatingIfNeeded: (pair &* 0x9E37_79B9_7F4A_7C15) >> shift)
      while true {
        let entry = slots[slot]
        if entry == pair { return pair != PairSet.empty }
        if entry == PairSet.empty { return false }
        slot = (slot + 1) & mask
      }
    }
  }
}
