extension SequentialPatterns {
  /// The closed patterns: those with no super-pattern (a pattern containing it as a
  /// subsequence) of the same support, in the same order.
  ///
  /// It is enough to look one item further: if `P` is contained in `R` with equal support,
  /// some `Q` one item longer than `P` lies between them and has that support too. So every
  /// pattern `Q` marks each of its one-item-shorter subsequences with equal support as not
  /// closed. The set must therefore hold every frequent pattern up to one item longer than
  /// the longest one whose closedness matters.
  public func closedPatterns() -> SequentialPatterns {
    var index = SequenceInterner(capacity: count)
    var ids = [Int](repeating: -1, count: count)
    items.withUnsafeBufferPointer { all in
      for pattern in 0..<count {
        ids[pattern] = index.intern(
          UnsafeBufferPointer(rebasing: all[offsets[pattern]..<offsets[pattern + 1]]))
      }
    }
    // Map interner ids back to pattern indices (patterns are distinct, but be safe).
    var patternOf = [Int](repeating: -1, count: index.count)
    for pattern in 0..<count where patternOf[ids[pattern]] < 0 { patternOf[ids[pattern]] = pattern }
    var closed = [Bool](repeating: true, count: count)
    var shorter: [UInt32] = []
    for pattern in 0..<count where length(pattern) >= 2 {
      let slice = self[pattern]
      var previous: UInt32? = nil
      for skip in slice.indices {
        // Deleting either of two equal neighbours gives the same subsequence.
        if previous == slice[skip] { continue }
        previous = slice[skip]
        shorter.removeAll(keepingCapacity: true)
        for position in slice.indices where position != skip { shorter.append(slice[position]) }
        if let id = index.lookup(shorter) {
          let sub = patternOf[id]
          if supports[sub] == supports[pattern] { closed[sub] = false }
        }
      }
    }
    var result = SequentialPatterns()
    for pattern in 0..<count where closed[pattern] {
      result.append(self[pattern], support: supports[pattern])
    }
    return result
  }
}
