/// An interner from short `UInt32` sequences (step n-grams, patterns) to dense ids.
///
/// Ids start at 0 and follow first-insertion order. The sequences live in one arena; an
/// open-addressing table finds them by hash, so counting an n-gram costs one hash and one
/// short compare, with no allocation per lookup. A value belongs to one thread at a time;
/// per-batch interners are combined with ``absorb(_:)`` in batch order.
struct SequenceInterner: Sendable {
  private(set) var arena: [UInt32] = []
  private(set) var offsets: [Int] = [0]
  private var hashes: [UInt32] = []
  private var slots: [Int32]
  private var mask: Int

  /// The number of distinct sequences.
  var count: Int { hashes.count }

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
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
    if count * 2 > slots.count { grow() }
    return id
  }

  /// Returns the id of `values` when interned.
  func lookup(_ values: UnsafeBufferPointer<UInt32>) -> Int? {
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
