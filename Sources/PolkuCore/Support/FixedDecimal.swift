/// Formats `value` with exactly `digits` fraction digits, without Foundation.
///
/// Rounds half away from zero on the decimal value; NaN and infinities become empty text
/// (an empty CSV cell, `null` in JSON writers that check for it).
public func formatFixed(_ value: Double, digits: Int) -> String {
  withFixed(value, digits: digits) { String(decoding: $0, as: UTF8.self) }
}

/// Calls `body` with the ``formatFixed(_:digits:)`` text of `value`, built on the stack
/// (CSV writers call this for every number cell).
func withFixed<R>(_ value: Double, digits: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
  guard value.isFinite else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
  // Past 9e18, or with more fraction digits than a UInt64 scale holds: Swift's own text.
  guard scaled < 9.0e18, digits <= 19 else {
    var text = String(value)
    return text.withUTF8(body)
  }
  let whole = UInt64(scaled)
  let unit = UInt64(scale)
  // Sign, up to 19 integer digits, the point and up to 19 fraction digits: in 64 bytes.
  var storage: (SIMD32<UInt8>, SIMD32<UInt8>) = (.zero, .zero)
  return withUnsafeMutableBytes(of: &storage) { raw in
    let out = raw.bindMemory(to: UInt8.self)
    // Right to left: the fraction's digits (zero-padded), the point, the integer part.
    var start = out.count
    if digits > 0 {
      var fraction = whole % unit
      for _ in 0..<digits {
        start -= 1
        out[start] = UInt8(ascii: "0") + UInt8(fraction % 10)
        fraction /= 10
      }
      start -= 1
      out[start] = UInt8(ascii: ".")
    }
    var integer = whole / unit
    repeat {
      start -= 1
      out[start] = UInt8(ascii: "0") + UInt8(integer % 10)
      integer /= 10
    } while integer > 0
    if value < 0 && whole != 0 {
      start -= 1
      out[start] = UInt8(ascii: "-")
    }
    return body(UnsafeBufferPointer(rebasing: out[start...]))
  }
}
