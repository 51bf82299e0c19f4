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
