/// Least-significant-digit radix sort for packed `key << 32 | tiebreak` integers.
enum RadixSort {
  /// Sorts `values` by their high 32 bits, stably: values with equal high words keep
  /// their order. When the low words already ascend in the input (an index, as the
  /// sessioniser packs them), the result equals `values.sort()`.
  ///
  /// 11-bit digits, and only as many passes as the largest key needs (two for up to ~4 M
  /// visitor keys): each pass reads its input in order and writes 2048 sequential
  /// streams, so it is a few times faster than a comparison sort of millions of values.
  static func sortByHighWord(_ values: inout [UInt64]) {
    let count = values.count
    guard count > 1 else { return }
    var maxKey: UInt64 = 0
    for value in values { maxKey |= value >> 32 }
    let digitBits = 11
    let buckets = 1 << digitBits
    var scratch = [UInt64](repeating: 0, count: count)
    var counts = [Int](repeating: 0, count: buckets)
    var shift = 32
    var inScratch = false
    while shift < 64 && maxKey >> UInt64(shift - 32) != 0 {
      let mask = UInt64(buckets - 1)
      values.withUnsafeMutableBufferPointer { values in
        scratch.withUnsafeMutableBufferPointer { scratch in
          counts.withUnsafeMutableBufferPointer { counts in
            let source = inScratch ? scratch : values
            let target = inScratch ? values : scratch
            for index in 0..<buckets { counts[index] = 0 }
            for value in source { counts[Int((value >> UInt64(shift)) & mask)] += 1 }
            var start = 0
            for index in 0..<buckets {
              let size = counts[index]
              counts[index] = start
              start += size
            }
            for value in source {
              let digit = Int((value >> UInt64(shift)) & mask)
              target[counts[digit]] = value
              counts[digit] += 1
            }
          }
        }
      }
      inScratch.toggle()
      shift += digitBits
    }
    if inScratch { swap(&values, &scratch) }
  }
}
