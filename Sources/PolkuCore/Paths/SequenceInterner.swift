/// An interner from short `UInt32` sequences (step n-grams, patterns) to dense ids.
///
/// Ids start at 0 and follow first-insertion order. The sequences live in one arena; an
/// open-addressing table finds them by hash, so counting an n-gram costs one hash and one
/// short compare, with no allocation per lookup. A value belongs to one thread at a time;
/// per-batch interners are combined with ``absorb(_:)`` in batch order.
///
/// Short sequences of small values (at most ``packedLength`` values below 2^12: the step
/// n-grams of any site with fewer than 4,096 distinct steps) are packed into one 64-bit
/// key and found in a second table that holds the key beside the id, so a lookup reads one
/// slot instead of a slot, a hash and the arena. Which table a sequence goes to depends
/// only on the sequence, and both share one id space, so ids are the same either way.
struct SequenceInterner: Sendable {
  private(set) var arena: [UInt32] = []
  private(set) var offsets: [Int] = [0]
  /// Per id: its hash in the general table (unused for packed sequences).
  private var hashes: [UInt32] = []
  private var slots: [Int32]
  private var mask: Int
  /// The packed table: keys (0 when empty; a packed key is never 0) and their ids.
  private var packedKeys: [UInt64]
  private var packedIds: [Int32]
  private var packedMask: Int
  private var packedCount = 0
  /// Sequences in the general table.
  private var genericCount = 0

  /// The longest sequence packed into one key, and the bits per value.
  static let packedLength = 5
  static let packedBits = 12

  /// The number of distinct sequences.
  var count: Int { hashes.count }

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
    // Sized for the capacity only up to a point: interners of whole sessions (long,
    // rarely packed) would otherwise carry a large empty table.
    let packedSize = min(size, 1 << 12)
    packedKeys = [UInt64](repeating: 0, count: packedSize)
    packedIds = [Int32](repeating: -1, count: packedSize)
    packedMask = packedSize - 1
  }

  /// `values` as one key: the length in the top 3 bits, 12 bits per value below; nil when
  /// the sequence is empty, longer than ``packedLength`` or has a value of 2^12 or more.
  @inline(__always)
  static func packed(_ values: UnsafeBufferPointer<UInt32>) -> UInt64? {
    let count = values.count
    guard count > 0 && count <= packedLength else { return nil }
    var key = UInt64(count) << 61
    var all: UInt32 = 0
    for index in 0..<count {
      let value = values[index]
      all |= value
      key |= UInt64(value) << UInt64(index * packedBits)
    }
    return all < 1 << UInt32(packedBits) ? key : nil
  }

  @inline(__always)
  private static func slot(ofPacked key: UInt64, mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
  }

  /// The id of a packed key, or where it would go.
  @inline(__always)
  private func findPacked(_ key: UInt64) -> (id: Int?, slot: Int) {
    packedKeys.withUnsafeBufferPointer { keys in
      var slot = SequenceInterner.slot(ofPacked: key, mask: packedMask)
      while true {
        let stored = keys[slot]
        if stored == key { return (Int(packedIds[slot]), slot) }
        if stored == 0 { return (nil, slot) }
        slot = (slot + 1) & packedMask
      }
    }
  }

  private mutating func growPacked() {
    let size = packedKeys.count * 2
    let oldKeys = packedKeys
    let oldIds = packedIds
    packedKeys = [UInt64](repeating: 0, count: size)
    packedIds = [Int32](repeating: -1, count: size)
    packedMask = size - 1
    for index in oldKeys.indices where oldKeys[index] != 0 {
      var slot = SequenceInterner.slot(ofPacked: oldKeys[index], mask: packedMask)
      while packedKeys[slot] != 0 { slot = (slot + 1) & packedMask }
      packedKeys[slot] = oldKeys[index]
      packedIds[slot] = oldIds[index]
    }
  }

  static func hash(_ values: UnsafeBufferPointer<UInt32>) -> UInt32 {
    var h: UInt32 = 2_166_136_261
    for value in values {
      h = (h ^ value) &* 16_777_619
      h ^= h >> 15
    }
    return h
  }

  /// The sequence with id `id`.
  subscript(id: Int) -> ArraySlice<UInt32> { arena[offsets[id]..<offsets[id + 1]] }

  /// The length of the sequence with id `id`.
  func length(_ id: Int) -> Int { offsets[id + 1] - offsets[id] }

  /// Returns the id of `values`, adding them when new.
  mutating func intern(_ values: UnsafeBufferPointer<UInt32>) -> Int {
    if let key = SequenceInterner.packed(values) {
      let (found, slot) = findPacked(key)
      if let found { return found }
      let id = count
      arena.append(contentsOf: values)
      offsets.append(arena.count)
      hashes.append(0)
      packedKeys[slot] = key
      packedIds[slot] = Int32(id)
      packedCount += 1
      if packedCount * 2 > packedKeys.count { growPacked() }
      return id
    }
    let h = SequenceInterner.hash(values)
    var slot = Int(h) & mask
    while true {
      let id = Int(slots[slot])
      if id < 0 { break }
      if hashes[id] == h && equals(id, values) { return id }
      slot = (slot + 1) & mask
    }
    let id = count
    arena.append(contentsOf: values)
    offsets.append(arena.count)
    hashes.append(h)
    slots[slot] = Int32(id)
    genericCount += 1
    if genericCount * 2 > slots.count { grow() }
    return id
  }

  /// Returns the id of `values` when interned.
  func lookup(_ values: UnsafeBufferPointer<UInt32>) -> Int? {
    if let key = SequenceInterner.packed(values) { return findPacked(key).id }
    let h = SequenceInterner.hash(values)
    var slot = Int(h) & mask
    while true {
      let id = Int(slots[slot])
      if id < 0 { return nil }
      if hashes[id] == h && equals(id, values) { return id }
      slot = (slot + 1) & mask
    }
  }

  /// Returns the id of `values`, adding them when new.
  mutating func intern(_ values: [UInt32]) -> Int {
    values.withUnsafeBufferPointer { intern($0) }
  }

  /// Returns the id of `values` when interned.
  func lookup(_ values: [UInt32]) -> Int? {
    values.withUnsafeBufferPointer { lookup($0) }
  }

  private func equals(_ id: Int, _ values: UnsafeBufferPointer<UInt32>) -> Bool {
    let start = offsets[id]
    guard offsets[id + 1] - start == values.count else { return false }
    for index in 0..<values.count where arena[start + index] != values[index] { return false }
    return true
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
    for id in 0..<count {
      let isPacked = arena.withUnsafeBufferPointer { all in
        SequenceInterner.packed(UnsafeBufferPointer(rebasing: all[offsets[id]..<offsets[id + 1]]))
          != nil
      }
      if isPacked { continue }
      var slot = Int(hashes[id]) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(id)
    }
  }

  /// Adds every sequence of `other` (in its id order) and returns the map from `other`'s
  /// ids to this interner's ids.
  mutating func absorb(_ other: SequenceInterner) -> [Int] {
    var map = [Int](repeating: 0, count: other.count)
    other.arena.withUnsafeBufferPointer { all in
      for id in 0..<other.count {
        let slice = UnsafeBufferPointer(rebasing: all[other.offsets[id]..<other.offsets[id + 1]])
        map[id] = intern(slice)
      }
    }
    return map
  }
}
