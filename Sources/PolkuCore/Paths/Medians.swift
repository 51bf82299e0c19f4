/// Medians of many small groups of millisecond values, in one counting-sort pass.
enum Medians {
  /// The median (ms) of the values of each wanted id in `parts` (`id << 32 | ms` pairs).
  ///
  /// `slotOf[id]` is the output slot of id, or -1 when its median is not wanted; the
  /// result has `slots` entries, nil for a slot with no values. An even count gives the
  /// mean of the two middle values. The parts are read in place (never concatenated).
  static func of(_ parts: [[UInt64]], slotOf: [Int32], slots: Int) -> [Double?] {
    var counts = [Int](repeating: 0, count: slots + 1)
    for part in parts {
      for value in part {
        let slot = slotOf[Int(value >> 32)]
        if slot >= 0 { counts[Int(slot) + 1] += 1 }
      }
    }
    for index in 0..<slots { counts[index + 1] += counts[index] }
    var cursor = counts
    var values = [UInt32](repeating: 0, count: counts[slots])
    for part in parts {
      for value in part {
        let slot = Int(slotOf[Int(value >> 32)])
        if slot >= 0 {
          values[cursor[slot]] = UInt32(truncatingIfNeeded: value)
          cursor[slot] += 1
        }
      }
    }
    var result = [Double?](repeating: nil, count: slots)
    for slot in 0..<slots where counts[slot + 1] > counts[slot] {
      result[slot] = median(&values[counts[slot]..<counts[slot + 1]])
    }
    return result
  }

  /// The median of `values` (reorders them), found by selection in linear time.
  static func median(_ values: inout ArraySlice<UInt32>) -> Double {
    let count = values.count
    let middle = values.startIndex + count / 2
    values.withUnsafeMutableBufferPointer { buffer in select(count / 2, in: buffer) }
    if count % 2 == 1 { return Double(values[middle]) }
    // values[..<middle] are all <= values[middle]; the lower middle is their maximum.
    let lower = values[values.startIndex..<middle].max() ?? values[middle]
    return (Double(lower) + Double(values[middle])) / 2
  }

  /// Reorders `values` so that `values[k]` is the value a sort would put there, with no
  /// greater value before it and no smaller one after it (quickselect, median-of-three
  /// pivots; a range that keeps resisting is sorted, so the worst case is n log n).
  static func select(_ k: Int, in values: UnsafeMutableBufferPointer<UInt32>) {
    var low = 0
    var high = values.count - 1
    var budget = 2 * (Int.bitWidth - values.count.leadingZeroBitCount) + 8
    while high - low > 16 {
      budget -= 1
      if budget == 0 {
        var rest = UnsafeMutableBufferPointer(rebasing: values[low...high])
        rest.sort()
        return
      }
      let mid = low + (high - low) / 2
      let a = values[low]
      let b = values[mid]
      let c = values[high]
      let pivot = max(min(a, b), min(max(a, b), c))
      var i = low
      var j = high
      while i <= j {
        while values[i] < pivot { i += 1 }
        while values[j] > pivot { j -= 1 }
        if i <= j {
          values.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if k <= j {
        high = j
      } else if k >= i {
        low = i
      } else {
        return
      }
    }
    var rest = UnsafeMutableBufferPointer(rebasing: values[low...high])
    rest.sort()
  }

  /// The median of `values` (ms), or nil when empty.
  static func median(_ values: [UInt32]) -> Double? {
    guard !values.isEmpty else { return nil }
    var slice = values[...]
    return median(&slice)
  }
}

/// Seconds from milliseconds, rounded to tenths (for `summary.json`).
func secondsTenths(_ millis: Double?) -> Double? {
  millis.map { ($0 / 100).rounded(.toNearestOrAwayFromZero) / 10 }
}

/// A ratio rounded to four decimals (for `summary.json`); 0 when the denominator is 0.
func ratio4(_ part: Int, _ whole: Int) -> Double {
  whole == 0
    ? 0 : (Double(part) / Double(whole) * 10_000).rounded(.toNearestOrAwayFromZero) / 10_000
}

/// A ratio for a CSV cell; 0 when the denominator is 0.
func ratio(_ part: Int, _ whole: Int) -> Double {
  whole == 0 ? 0 : Double(part) / Double(whole)
}
