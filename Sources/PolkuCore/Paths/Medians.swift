/// Medians of many small groups of millisecond values, in one counting-sort pass.
enum Medians {
  /// The median (ms) of the values of each wanted id in `parts` (`id << 32 | ms` pairs).
  ///
  /// `slotOf[id]` is the output slot of id, or -1 when its median is not wanted; the
  /// result has `slots` entries, nil for a slot with no values. An even count gives the
  /// mean of the two middle values. The parts are read in place (never concatenated).
  ///
  /// On `threads` workers (0: one per CPU): the parts are counted and scattered side by
  /// side, each into its own ranges of one buffer, then the slots' selections run side by
  /// side. A median does not depend on the order of its values, so neither does the
  /// result depend on the number of threads. At 20 M events this ran alone on one core
  /// at the end of path mining.
  static func of(_ parts: [[UInt64]], slotOf: [Int32], slots: Int, threads: Int = 1)
    -> [Double?]
  {
    let workers = threads > 0 ? threads : onlineCPUs()
    // Per part, how many values each slot gets.
    let partCounts: [[Int]] =
      (try? parallelMap(count: parts.count, threads: workers) { index in
        var counts = [Int](repeating: 0, count: slots)
        for value in parts[index] {
          let slot = slotOf[Int(value >> 32)]
          if slot >= 0 { counts[Int(slot)] += 1 }
        }
        return counts
      }) ?? []
    // Slot s holds values[starts[s] ..< starts[s + 1]]; within it, parts in order.
    var starts = [Int](repeating: 0, count: slots + 1)
    for counts in partCounts {
      for slot in 0..<slots { starts[slot + 1] += counts[slot] }
    }
    for slot in 0..<slots { starts[slot + 1] += starts[slot] }
    var cursor = starts
    var partStarts: [[Int]] = []
    for counts in partCounts {
      partStarts.append(cursor)
      for slot in 0..<slots { cursor[slot] += counts[slot] }
    }
    let total = starts[slots]
    let buffer = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: total)
    defer { buffer.deallocate() }
    let values = SharedValues(buffer: buffer)
    let firsts = partStarts
    _ = try? parallelMap(count: parts.count, threads: workers) { index in
      var next = firsts[index]
      for value in parts[index] {
        let slot = Int(slotOf[Int(value >> 32)])
        if slot >= 0 {
          values.buffer[next[slot]] = UInt32(truncatingIfNeeded: value)
          next[slot] += 1
        }
      }
    }
    // Selections, in chunks of slots holding about equal numbers of values.
    let bounds = starts
    let chunks = Swift.max(1, Swift.min(slots, workers * 4))
    var cuts = [0]
    for slot in 0..<slots where starts[slot + 1] * chunks >= total * cuts.count {
      if cuts.count < chunks { cuts.append(slot + 1) }
    }
    while cuts.count <= chunks { cuts.append(slots) }
    let chunkStarts = cuts
    let medians: [[Double?]] =
      (try? parallelMap(count: chunks, threads: workers) { chunk in
        (chunkStarts[chunk]..<chunkStarts[chunk + 1]).map { slot -> Double? in
          guard bounds[slot + 1] > bounds[slot] else { return nil }
          return median(
            UnsafeMutableBufferPointer(rebasing: values.buffer[bounds[slot]..<bounds[slot + 1]]))
        }
      }) ?? []
    return medians.flatMap { $0 }
  }

  /// A buffer the workers write at disjoint positions.
  private struct SharedValues: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<UInt32>
  }

  /// The median of `values` (reorders them).
  static func median(_ values: UnsafeMutableBufferPointer<UInt32>) -> Double {
    let count = values.count
    let middle = count / 2
    select(middle, in: values)
    if count % 2 == 1 { return Double(values[middle]) }
    // values[..<middle] are all <= values[middle]; the lower middle is their maximum.
    let lower = UnsafeMutableBufferPointer(rebasing: values[0..<middle]).max() ?? values[middle]
    return (Double(lower) + Double(values[middle])) / 2
  }

  /// The median of `values` (reorders them), found by selection in linear time.
  static func median(_ values: inout ArraySlice<UInt32>) -> Double {
    values.withUnsafeMutableBufferPointer { median($0) }
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
