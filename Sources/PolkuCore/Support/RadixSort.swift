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
    guard values.count > 1 else { return }
    var scratch = [UInt64](repeating: 0, count: values.count)
    let inScratch = values.withUnsafeMutableBufferPointer { values in
      scratch.withUnsafeMutableBufferPointer { scratch in
        sortByHighWord(values, scratch: scratch)
      }
    }
    if inScratch { swap(&values, &scratch) }
  }

  /// ``sortByHighWord(_:)`` in caller-owned memory: `scratch` must be at least as long as
  /// `values`. Returns whether the sorted values ended up in `scratch` (after an odd
  /// number of passes) rather than in `values`.
  static func sortByHighWord(
    _ values: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>
  ) -> Bool {
    let count = values.count
    precondition(scratch.count >= count, "sortByHighWord: scratch is too short")
    guard count > 1 else { return false }
    var maxKey: UInt64 = 0
    for value in values { maxKey |= value >> 32 }
    let digitBits = 11
    let buckets = 1 << digitBits
    var counts = [Int](repeating: 0, count: buckets)
    var shift = 32
    var inScratch = false
    while shift < 64 && maxKey >> UInt64(shift - 32) != 0 {
      let mask = UInt64(buckets - 1)
      counts.withUnsafeMutableBufferPointer { counts in
        let source = inScratch ? UnsafeMutableBufferPointer(rebasing: scratch[0..<count]) : values
        let target = inScratch ? values : UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
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
      inScratch.toggle()
      shift += digitBits
    }
    return inScratch
  }

  /// Sorts `keys` ascending and moves `values` with them, stably (equal keys keep their
  /// order). 11-bit digits over the bits the keys use; a digit that is the same in every
  /// key costs one counting pass and no move.
  static func sortPairs(_ keys: inout [UInt64], _ values: inout [UInt32]) {
    let count = keys.count
    precondition(values.count == count, "sortPairs: keys and values differ in length")
    guard count > 1 else { return }
    var used: UInt64 = 0
    for key in keys { used |= key }
    let digitBits = 11
    let buckets = 1 << digitBits
    var scratchKeys = [UInt64](repeating: 0, count: count)
    var scratchValues = [UInt32](repeating: 0, count: count)
    var counts = [Int](repeating: 0, count: buckets)
    var shift = 0
    var inScratch = false
    while shift < 64 && used >> UInt64(shift) != 0 {
      let mask = UInt64(buckets - 1)
      let moved = keys.withUnsafeMutableBufferPointer { keys in
        values.withUnsafeMutableBufferPointer { values in
          scratchKeys.withUnsafeMutableBufferPointer { scratchKeys in
            scratchValues.withUnsafeMutableBufferPointer { scratchValues in
              counts.withUnsafeMutableBufferPointer { counts in
                let sourceKeys = inScratch ? scratchKeys : keys
                let sourceValues = inScratch ? scratchValues : values
                let targetKeys = inScratch ? keys : scratchKeys
                let targetValues = inScratch ? values : scratchValues
                for index in 0..<buckets { counts[index] = 0 }
                for key in sourceKeys { counts[Int((key >> UInt64(shift)) & mask)] += 1 }
                if counts.contains(count) { return false }  // one digit everywhere
                var start = 0
                for index in 0..<buckets {
                  let size = counts[index]
                  counts[index] = start
                  start += size
                }
                for index in 0..<count {
                  let key = sourceKeys[index]
                  let digit = Int((key >> UInt64(shift)) & mask)
                  targetKeys[counts[digit]] = key
                  targetValues[counts[digit]] = sourceValues[index]
                  counts[digit] += 1
                }
                return true
              }
            }
          }
        }
      }
      if moved { inScratch.toggle() }
      shift += digitBits
    }
    if inScratch {
      swap(&keys, &scratchKeys)
      swap(&values, &scratchValues)
    }
  }
}
