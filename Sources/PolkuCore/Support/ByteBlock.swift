/// Moves `count` bytes from `base` (a block of `capacity` bytes) into a new block of at
/// least `needed` bytes, doubling the capacity until it fits, and frees the old block.
/// Returns the new block and its capacity. The growth step of the byte buffers that write
/// through a pointer (``CSVBuilder``, PolkuGenerate's `ByteBuffer`), as are the number writers
/// below.
public func regrowByteBlock(
  _ base: UnsafeMutablePointer<UInt8>, count: Int, capacity: Int, needed: Int
) -> (base: UnsafeMutablePointer<UInt8>, capacity: Int) {
  var size = max(capacity * 2, 64)
  while size < needed { size *= 2 }
  let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
  bigger.update(from: base, count: count)
  base.deallocate()
  return (bigger, size)
}

/// Writes `value` in decimal at `out`, which must have room for 20 bytes; returns the
/// length of the text (the digits are made right to left at the end of those 20 bytes,
/// then moved to the start).
@inline(__always)
public func writeDecimal(_ value: Int64, at out: UnsafeMutablePointer<UInt8>) -> Int {
  var magnitude = value.magnitude
  let end = out + 20
  var start = end
  repeat {
    start -= 1
    start.pointee = UInt8(ascii: "0") + UInt8(magnitude % 10)
    magnitude /= 10
  } while magnitude > 0
  if value < 0 {
    start -= 1
    start.pointee = UInt8(ascii: "-")
  }
  let length = end - start
  out.update(from: start, count: length)
  return length
}

/// Writes `value` as 16 lower-case hex digits at `out`, which must have room for them.
///
/// Each byte's two digits at once: the nibbles are spread into the bytes of a word and
/// turned into digits without a branch ('a'...'f' where a nibble is above 9), high first.
@inline(__always)
public func writeHex16(_ value: UInt64, at out: UnsafeMutablePointer<UInt8>) {
  @inline(__always) func digits(_ half: UInt32) -> UInt64 {
    var x = UInt64(half)
    x = (x | x << 16) & 0x0000_FFFF_0000_FFFF
    x = (x | x << 8) & 0x00FF_00FF_00FF_00FF
    x = (x | x << 4) & 0x0F0F_0F0F_0F0F_0F0F
    let letters = ((x &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
    return (x &+ 0x3030_3030_3030_3030 &+ letters &* 0x27).byteSwapped
  }
  let raw = UnsafeMutableRawPointer(out)
  raw.storeBytes(of: digits(UInt32(truncatingIfNeeded: value >> 32)), as: UInt64.self)
  raw.storeBytes(of: digits(UInt32(truncatingIfNeeded: value)), toByteOffset: 8, as: UInt64.self)
}
