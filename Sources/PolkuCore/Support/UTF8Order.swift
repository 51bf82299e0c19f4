#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether `a` sorts before `b` by their UTF-8 bytes (the order of every user-id column
/// and of the state file), with one `memcmp` instead of a walk over the UTF-8 views.
func utf8Precedes(_ a: String, _ b: String) -> Bool {
  var a = a
  var b = b
  return a.withUTF8 { x in b.withUTF8 { y in bytesPrecede(x, y) } }
}

/// Whether bytes `x` sort before bytes `y` (a shorter value before its extensions).
func bytesPrecede(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
  let common = min(x.count, y.count)
  if common > 0, let p = x.baseAddress, let q = y.baseAddress {
    let order = memcmp(p, q, common)
    if order != 0 { return order < 0 }
  }
  return x.count < y.count
}

/// The indices of `strings` in ``utf8Precedes(_:_:)`` order; equal strings keep their
/// index order.
///
/// Each string's first 16 bytes become two big-endian words (zero-padded), so most
/// comparisons are two integer compares on a contiguous array instead of two `String`
/// accesses and a `memcmp`. Only strings whose padded first 16 bytes are equal are
/// compared in full. Sorting the customers of a run (hundreds of thousands of user ids)
/// spent most of its time in those accesses.
func utf8SortedIndices(_ strings: [String]) -> [Int] {
  var keys = strings.indices.map { index in
    var string = strings[index]
    return string.withUTF8 { PrefixKey($0, index: index) }
  }
  PrefixKey.sort(&keys) { utf8Precedes(strings[$0], strings[$1]) }
  return keys.map(\.index)
}

/// Each id's rank when the table's values are sorted by their UTF-8 bytes (equal values
/// cannot occur; id 0, the empty value, ranks first), with the prefix keys of
/// ``utf8SortedIndices(_:)``.
///
/// For output orders that should follow the text of ids rather than the order they were
/// first met in, which depends on the order files were merged in.
func utf8Ranks(of table: SymbolTable) -> [UInt32] {
  var keys = (0..<table.count).map { id in
    table.withBytes(UInt32(id)) { PrefixKey($0, index: id) }
  }
  PrefixKey.sort(&keys) { a, b in
    table.withBytes(UInt32(a)) { x in
      table.withBytes(UInt32(b)) { y in bytesPrecede(x, y) }
    }
  }
  var ranks = [UInt32](repeating: 0, count: keys.count)
  for (rank, key) in keys.enumerated() { ranks[key.index] = UInt32(rank) }
  return ranks
}

/// A value's first 16 bytes as two big-endian words (zero-padded), and where it came
/// from.
private struct PrefixKey {
  var high: UInt64
  var low: UInt64
  var index: Int

  init(_ bytes: UnsafeBufferPointer<UInt8>, index: Int) {
    var prefix: (UInt64, UInt64) = (0, 0)
    withUnsafeMutableBytes(of: &prefix) { raw in
      let head = UnsafeBufferPointer(rebasing: bytes.prefix(16))
      raw.copyMemory(from: UnsafeRawBufferPointer(head))
    }
    high = UInt64(bigEndian: prefix.0)
    low = UInt64(bigEndian: prefix.1)
    self.index = index
  }

  /// Sorts by prefix, then by `precedes` on the values' indices (the full comparison,
  /// only for equal prefixes), then by index.
  static func sort(_ keys: inout [PrefixKey], by precedes: (Int, Int) -> Bool) {
    keys.sort { a, b in
      if a.high != b.high { return a.high < b.high }
      if a.low != b.low { return a.low < b.low }
      if precedes(a.index, b.index) { return true }
      if precedes(b.index, a.index) { return false }
      return a.index < b.index
    }
  }
}
