/// The message-id hashes seen for the current visitor, to drop duplicate deliveries.
///
/// An open-addressing set of non-zero `UInt64`s with a multiplicative hash (the values are
/// already well-mixed hashes), emptied per visitor by clearing only the slots it used:
/// `Set<UInt64>` would run SipHash for every event and sweep its whole table on
/// `removeAll(keepingCapacity:)`.
struct MessageHashSet {
  private var slots = [UInt64](repeating: 0, count: 64)
  private var used: [Int] = []

  /// Adds `hash` (not 0); returns false when it was already in the set.
  mutating func insert(_ hash: UInt64) -> Bool {
    if used.count * 2 >= slots.count { grow() }
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    while true {
      let entry = slots[slot]
      if entry == hash { return false }
      if entry == 0 { break }
      slot = (slot + 1) & mask
    }
    slots[slot] = hash
    used.append(slot)
    return true
  }

  /// Empties the set, keeping its capacity.
  mutating func removeAll() {
    for slot in used { slots[slot] = 0 }
    used.removeAll(keepingCapacity: true)
  }

  private mutating func grow() {
    let values = used.map { slots[$0] }
    slots = [UInt64](repeating: 0, count: slots.count * 2)
    used.removeAll(keepingCapacity: true)
    for value in values { _ = insert(value) }
  }
}
