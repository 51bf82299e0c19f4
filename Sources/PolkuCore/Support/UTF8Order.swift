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
  return a.withUTF8 { x in
    b.withUTF8 { y in
      let common = min(x.count, y.count)
      if common > 0, let p = x.baseAddress, let q = y.baseAddress {
        let order = memcmp(p, q, common)
        if order != 0 { return order < 0 }
      }
      return x.count < y.count
    }
  }
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
  struct Key {
    var high: UInt64
    var low: UInt64
    var index: Int
  }
  var keys = strings.indices.map { index in
    var string = strings[index]
    return string.withUTF8 { bytes -> Key in
      var prefix: (UInt64, UInt64) = (0, 0)
      withUnsafeMutableBytes(of: &prefix) { raw in
        let head = UnsafeBufferPointer(rebasing: bytes.prefix(16))
        raw.copyMemory(from: UnsafeRawBufferPointer(head))
      }
      return Key(high: UInt64(bigEndian: prefix.0), low: UInt64(bigEndian: prefix.1), index: index)
    }
  }
  keys.sort { a, b in
    if a.high != b.high { return a.high < b.high }
    if a.low != b.low { return a.low < b.low }
    if utf8Precedes(strings[a.index], strings[b.index]) { return true }
    if utf8Precedes(strings[b.index], strings[a.index]) { return false }
    return a.index < b.index
  }
  return keys.map(\.index)
}
