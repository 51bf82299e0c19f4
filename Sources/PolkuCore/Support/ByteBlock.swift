/// Moves `count` bytes from `base` (a block of `capacity` bytes) into a new block of at
/// least `needed` bytes, doubling the capacity until it fits, and frees the old block.
/// Returns the new block and its capacity. The growth step of the byte buffers that write
/// through a pointer (``CSVBuilder``, ``ByteBuffer``).
func regrowByteBlock(
  _ base: UnsafeMutablePointer<UInt8>, count: Int, capacity: Int, needed: Int
) -> (base: UnsafeMutablePointer<UInt8>, capacity: Int) {
  var size = max(capacity * 2, 64)
  while size < needed { size *= 2 }
  let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
  bigger.update(from: base, count: count)
  base.deallocate()
  return (bigger, size)
}
