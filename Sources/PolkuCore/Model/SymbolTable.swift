import CPolkuKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An interner from byte strings to dense `UInt32` ids, without a `String` per lookup.
///
/// Id 0 is reserved for "none"; the first interned value gets id 1. Bytes live in one
/// arena, and an open-addressing table of ids finds them by hash, so interning a value
/// seen before costs one hash and one `memcmp`. Each id's hash and arena offset share one
/// 64-bit entry, so a probe costs a cache miss on the slot, one on the entry and one on the
/// bytes (tables of a few hundred thousand ids do not fit in the caches). A table belongs to one thread at a time;
/// per-file tables are merged into a global one in input order, which keeps ids
/// deterministic whatever the number of threads.
public struct SymbolTable: Sendable {
  private var arena: [UInt8] = []
  /// Per id, `hash << 32 | start`; one more entry holds the end of the last value. A
  /// probe finds the hash and where the bytes start in one load.
  private var entries: [UInt64] = [0, 0]
  private var slots: [UInt32]
  private var mask: Int

  /// The number of ids in use, including the reserved id 0.
  public var count: Int { entries.count - 1 }

  public init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [UInt32](repeating: 0, count: size)
    mask = size - 1
  }

  /// A multiply-rotate hash over 8 bytes at a time (FxHash style); stable across runs.
  ///
  /// Ids and names are 5–100 bytes, so a word-at-a-time loop is several times faster
  /// than a byte-at-a-time FNV; the final mix spreads the high bits to the low ones the
  /// table's mask uses.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
    UInt32(truncatingIfNeeded: hash64(bytes) >> 32)
  }

  /// The 64-bit form of ``hash(_:)``.
  public static func hash64(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let k: UInt64 = 0x9E37_79B9_7F4A_7C15
    var h = UInt64(bytes.count) &* k
    guard let base = bytes.baseAddress else { return h }
    let raw = UnsafeRawPointer(base)
    var offset = 0
    let count = bytes.count
    while offset + 8 <= count {
      let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      h = (((h << 5) | (h >> 59)) ^ word) &* k
      offset += 8
    }
    if offset < count {
      // The last 1...7 bytes as one little-endian word, without a loop whose length the
      // branch predictor would have to guess: the value's final 8 bytes shifted down, or
      // for short values up to three loads of 4, 2 and 1 bytes.
      let rest = count - offset
      var tail: UInt64
      if count >= 8 {
        tail =
          raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) >> UInt64(64 - 8 * rest)
      } else {
        tail = 0
        var at = 0
        if rest & 4 != 0 {
          tail = UInt64(raw.loadUnaligned(as: UInt32.self))
          at = 4
        }
        if rest & 2 != 0 {
          tail |= UInt64(raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)) << UInt64(8 * at)
          at += 2
        }
        if rest & 1 != 0 { tail |= UInt64(base[at]) << UInt64(8 * at) }
      }
      h = (((h << 5) | (h >> 59)) ^ tail) &* k
    }
    h ^= h >> 29
    h = h &* 0xBF58_476D_1CE4_E5B9
    h ^= h >> 32
    return h
  }

  /// Returns the id of `bytes`, adding them when new. Never returns 0.
  public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
    intern(bytes, hash: SymbolTable.hash(bytes))
  }

  /// ``intern(_:)`` with the bytes' ``hash(_:)`` already known.
  private mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt32) -> UInt32 {
    var slot = Int(h) & mask
    while true {
      let id = slots[slot]
      if id == 0 { break }
      if matches(Int(id), h, bytes) { return id }
      slot = (slot + 1) & mask
    }
    let id = UInt32(count)
    entries[Int(id)] |= UInt64(h) << 32
    arena.append(contentsOf: bytes)
    entries.append(UInt64(arena.count))
    slots[slot] = id
    if count * 2 > slots.count { grow() }
    return id
  }

  @inline(__always)
  private func matches(_ id: Int, _ h: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let entry = entries[id]
    guard UInt32(truncatingIfNeeded: entry >> 32) == h else { return false }
    let start = Int(UInt32(truncatingIfNeeded: entry))
    let length = Int(UInt32(truncatingIfNeeded: entries[id + 1])) - start
    guard length == bytes.count else { return false }
    if length == 0 { return true }
    return arena.withUnsafeBufferPointer { all in
      guard let base = all.baseAddress, let other = bytes.baseAddress else { return false }
      return memcmp(base + start, other, length) == 0
    }
  }

  /// Returns the id of `text`, adding it when new.
  public mutating func intern(_ text: String) -> UInt32 {
    var copy = text
    return copy.withUTF8 { intern($0) }
  }

  /// Returns the id of `bytes` when interned, without adding them.
  public func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
    let h = SymbolTable.hash(bytes)
    var slot = Int(h) & mask
    while true {
      let id = slots[slot]
      if id == 0 { return nil }
      if matches(Int(id), h, bytes) { return id }
      slot = (slot + 1) & mask
    }
  }

  /// Returns the id of `text` when interned.
  public func lookup(_ text: String) -> UInt32? {
    var copy = text
    return copy.withUTF8 { lookup($0) }
  }

  /// Calls `body` with the bytes of `id` (empty for id 0).
  public func withBytes<R>(_ id: UInt32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R)
    rethrows -> R
  {
    let start = Int(UInt32(truncatingIfNeeded: entries[Int(id)]))
    let end = Int(UInt32(truncatingIfNeeded: entries[Int(id) + 1]))
    return try arena.withUnsafeBufferPointer {
      try body(UnsafeBufferPointer(rebasing: $0[start..<end]))
    }
  }

  /// Starts loading the entry of `id` into the cache, for a ``withBytes(_:_:)`` a little
  /// later (a loop over ids far apart overlaps their misses this way). No other effect.
  @inline(__always)
  public func prefetchEntry(_ id: UInt32) {
    entries.withUnsafeBufferPointer { entries in
      guard Int(id) < entries.count, let base = entries.baseAddress else { return }
      polku_prefetch(base + Int(id))
    }
  }

  /// Starts loading the bytes of `id`, whose entry should be in the cache by now (see
  /// ``prefetchEntry(_:)``). No other effect.
  @inline(__always)
  public func prefetchBytes(_ id: UInt32) {
    guard Int(id) < entries.count else { return }
    let start = Int(UInt32(truncatingIfNeeded: entries[Int(id)]))
    arena.withUnsafeBufferPointer { arena in
      guard start < arena.count, let base = arena.baseAddress else { return }
      polku_prefetch(base + start)
    }
  }

  /// The value of `id` as a `String` (empty for id 0).
  public func string(_ id: UInt32) -> String {
    withBytes(id) { String(decoding: $0, as: UTF8.self) }
  }

  /// Every value in id order, starting with id 1.
  public var strings: [String] {
    count > 1 ? (1..<count).map { string(UInt32($0)) } : []
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = [UInt32](repeating: 0, count: size)
    mask = size - 1
    for id in 1..<count {
      var slot = Int(entries[id] >> 32) & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = UInt32(id)
    }
  }

  /// Adds every value of `other` (in its id order) and returns the map from `other`'s ids
  /// to this table's ids; index 0 maps to 0.
  public mutating func absorb(_ other: SymbolTable) -> [UInt32] {
    var map = [UInt32](repeating: 0, count: other.count)
    for id in 1..<max(other.count, 1) {
      let h = UInt32(truncatingIfNeeded: other.entries[id] >> 32)
      map[id] = other.withBytes(UInt32(id)) { intern($0, hash: h) }
    }
    return map
  }
}
