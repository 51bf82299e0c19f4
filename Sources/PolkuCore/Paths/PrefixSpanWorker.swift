import CPolkuKernels

/// The per-thread state of ``PrefixSpan``: dense counters indexed by compact item id and
/// one projection buffer per depth, allocated once and reused by every node.
///
/// Counting is two passes over a node's projected suffixes. The first counts, per item, the
/// sequences whose suffix contains it (a per-sequence stamp makes each sequence count once;
/// a stored sequence counts its weight) and the suffixes that will be projected. The second
/// writes, for every frequent item, the suffix after its first occurrence into that item's
/// bucket of the depth's buffer; the buckets are the children's projections. At the last
/// level (no projections needed) each suffix's item set is read from a precomputed table
/// instead, one load per suffix.
///
/// Projected suffixes are far apart in the item array, so both passes prefetch the suffix
/// a few entries ahead; without it the passes mostly waited for memory. Counters are raw
/// buffers, not arrays held by the class, which would cost a dynamic exclusivity check per
/// item.
final class PrefixSpanWorker {
  /// A frequent extension of the current prefix and where its projection is.
  struct Child {
    var item: UInt32
    var support: Int32
    var start: Int
    var end: Int
  }

  private let items: UnsafeBufferPointer<UInt32>
  /// Per position, the items from there to the end of its sequence (bit `item`); empty
  /// when the alphabet has more than 32 items.
  private let suffixItems: UnsafeBufferPointer<UInt32>
  private let minSupport: Int32
  private let limit: Int
  private let support: UnsafeMutablePointer<Int32>
  /// Per item, the projected suffixes that contain it (the size of its bucket).
  private let entries: UnsafeMutablePointer<Int32>
  private let stamp: UnsafeMutablePointer<Int>
  private let cursor: UnsafeMutablePointer<Int>
  private let alphabet: Int
  private var nextStamp = 1
  /// The items the current node counted.
  private let touched: UnsafeMutablePointer<Int32>
  private var levels: [UnsafeMutableBufferPointer<ProjectionEntry>] = []
  /// The pattern being extended (compact ids).
  var prefix: [UInt32] = []
  /// Patterns found so far (compact ids).
  var output = SequentialPatterns()

  /// How many entries ahead suffixes are prefetched.
  private static let prefetchDistance = 16

  init(
    items: UnsafeBufferPointer<UInt32>, suffixItems: UnsafeBufferPointer<UInt32>, alphabet: Int,
    minSupport: Int32, limit: Int
  ) {
    self.items = items
    self.suffixItems = suffixItems
    self.alphabet = alphabet
    self.minSupport = minSupport
    self.limit = limit
    support = .allocate(capacity: alphabet)
    support.initialize(repeating: 0, count: alphabet)
    entries = .allocate(capacity: alphabet)
    entries.initialize(repeating: 0, count: alphabet)
    stamp = .allocate(capacity: alphabet)
    stamp.initialize(repeating: 0, count: alphabet)
    cursor = .allocate(capacity: alphabet)
    cursor.initialize(repeating: 0, count: alphabet)
    touched = .allocate(capacity: alphabet)
  }

  deinit {
    support.deallocate()
    entries.deallocate()
    stamp.deallocate()
    cursor.deallocate()
    touched.deallocate()
    for level in levels { level.deallocate() }
  }

  /// The projection buffer of `depth` (the children of a node at that depth point into it).
  func levelBuffer(_ depth: Int) -> UnsafeMutableBufferPointer<ProjectionEntry> {
    depth < levels.count ? levels[depth] : UnsafeMutableBufferPointer(start: nil, count: 0)
  }

  private func reserve(depth: Int, capacity: Int) -> UnsafeMutablePointer<ProjectionEntry> {
    while levels.count <= depth { levels.append(UnsafeMutableBufferPointer(start: nil, count: 0)) }
    if levels[depth].count < capacity {
      levels[depth].deallocate()
      levels[depth] = .allocate(capacity: max(capacity, levels[depth].count * 2))
    }
    // swift-format-ignore: NeverForceUnwrap
    return levels[depth].baseAddress!
  }

  /// The frequent one-item extensions of the prefix whose projection is `projection`, in
  /// item order; with `needProjections`, their projections are written to the buffer of
  /// `depth` (empty suffixes are left out: they add support but nothing to extend).
  func children(
    of projection: UnsafeBufferPointer<ProjectionEntry>, depth: Int, needProjections: Bool
  ) -> [Child] {
    if !suffixItems.isEmpty {
      return needProjections
        ? childrenFromSets(of: projection, depth: depth) : leaves(of: projection)
    }
    var touchedCount = 0
    var mark = nextStamp
    for (index, entry) in projection.enumerated() {
      prefetchSuffix(projection, index + PrefixSpanWorker.prefetchDistance)
      var position = Int(entry.from)
      let end = Int(entry.to)
      while position < end {
        let item = Int(items[position])
        if stamp[item] != mark {
          stamp[item] = mark
          if entries[item] == 0 {
            touched[touchedCount] = Int32(truncatingIfNeeded: item)
            touchedCount &+= 1
          }
          support[item] &+= Int32(truncatingIfNeeded: entry.weight)
          entries[item] &+= 1
        }
        position &+= 1
      }
      mark &+= 1
    }
    // Frequent items become children (`start` holds their bucket size for now); the
    // counters of every item are cleared.
    var kids: [Child] = []
    for index in 0..<touchedCount {
      let item = Int(touched[index])
      if support[item] >= minSupport {
        kids.append(
          Child(item: UInt32(item), support: support[item], start: Int(entries[item]), end: 0))
      }
      support[item] = 0
      entries[item] = 0
    }
    kids.sort { $0.item < $1.item }
    if needProjections && !kids.isEmpty {
      let buffer = placeBuckets(&kids, depth: depth)
      for kid in kids { support[Int(kid.item)] = 1 }  // marks the item frequent below
      for (index, entry) in projection.enumerated() {
        prefetchSuffix(projection, index + PrefixSpanWorker.prefetchDistance)
        var position = Int(entry.from)
        let end = Int(entry.to)
        while position < end {
          let item = Int(items[position])
          if support[item] != 0 && stamp[item] != mark {
            stamp[item] = mark
            if position &+ 1 < end {
              buffer[cursor[item]] = ProjectionEntry(
                from: UInt32(position &+ 1), to: entry.to, weight: entry.weight)
              cursor[item] &+= 1
            }
          }
          position &+= 1
        }
        mark &+= 1
      }
      for index in kids.indices {
        kids[index].end = cursor[Int(kids[index].item)]
        support[Int(kids[index].item)] = 0
      }
    }
    nextStamp = mark
    return kids
  }

  /// Lays the children's buckets out one after another in the buffer of `depth` (each
  /// kid's `start` holds its bucket size on entry and its bucket's start on return) and
  /// points each item's cursor at its bucket.
  private func placeBuckets(_ kids: inout [Child], depth: Int) -> UnsafeMutablePointer<
    ProjectionEntry
  > {
    var start = 0
    for index in kids.indices {
      let size = kids[index].start
      kids[index].start = start
      cursor[Int(kids[index].item)] = start
      start += size
    }
    return reserve(depth: depth, capacity: start)
  }

  /// ``children(of:depth:needProjections:)`` with projections, for alphabets of at most 32
  /// items: a suffix's items are one load from the item-set table (a projected suffix
  /// always runs to the end of its sequence), so counting reads no items, and writing
  /// the projections walks a suffix only until the first occurrence of each of its
  /// frequent items was seen.
  private func childrenFromSets(of projection: UnsafeBufferPointer<ProjectionEntry>, depth: Int)
    -> [Child]
  {
    var present: UInt32 = 0
    for (index, entry) in projection.enumerated() {
      prefetchSet(projection, index + PrefixSpanWorker.prefetchDistance)
      var set = suffixItems[Int(entry.from)]
      present |= set
      let weight = Int32(truncatingIfNeeded: entry.weight)
      while set != 0 {
        let item = set.trailingZeroBitCount
        support[item] &+= weight
        entries[item] &+= 1
        set &= set &- 1
      }
    }
    var kids: [Child] = []
    var frequent: UInt32 = 0
    while present != 0 {
      let item = present.trailingZeroBitCount
      present &= present &- 1
      if support[item] >= minSupport {
        kids.append(
          Child(item: UInt32(item), support: support[item], start: Int(entries[item]), end: 0))
        frequent |= 1 << UInt32(item)
      }
      support[item] = 0
      entries[item] = 0
    }
    guard !kids.isEmpty else { return kids }
    let buffer = placeBuckets(&kids, depth: depth)
    for (index, entry) in projection.enumerated() {
      prefetchSuffix(projection, index + PrefixSpanWorker.prefetchDistance)
      var wanted = suffixItems[Int(entry.from)] & frequent
      var position = Int(entry.from)
      let end = Int(entry.to)
      while wanted != 0 {
        let bit: UInt32 = 1 << items[position]
        if wanted & bit != 0 {
          wanted &= ~bit
          if position &+ 1 < end {
            let item = Int(items[position])
            buffer[cursor[item]] = ProjectionEntry(
              from: UInt32(position &+ 1), to: entry.to, weight: entry.weight)
            cursor[item] &+= 1
          }
        }
        position &+= 1
      }
    }
    for index in kids.indices { kids[index].end = cursor[Int(kids[index].item)] }
    return kids
  }

  /// ``children(of:depth:needProjections:)`` without projections, from the suffixes' item
  /// sets: the last level of a length-bounded search.
  private func leaves(of projection: UnsafeBufferPointer<ProjectionEntry>) -> [Child] {
    for (index, entry) in projection.enumerated() {
      prefetchSet(projection, index + PrefixSpanWorker.prefetchDistance)
      var set = suffixItems[Int(entry.from)]
      let weight = Int32(truncatingIfNeeded: entry.weight)
      while set != 0 {
        support[set.trailingZeroBitCount] &+= weight
        set &= set &- 1
      }
    }
    var kids: [Child] = []
    for item in 0..<alphabet {
      if support[item] >= minSupport {
        kids.append(Child(item: UInt32(item), support: support[item], start: 0, end: 0))
      }
      support[item] = 0
    }
    return kids
  }

  @inline(__always)
  private func prefetchSet(_ projection: UnsafeBufferPointer<ProjectionEntry>, _ index: Int) {
    if index < projection.count, let base = suffixItems.baseAddress {
      polku_prefetch(base + Int(projection[index].from))
    }
  }

  @inline(__always)
  private func prefetchSuffix(_ projection: UnsafeBufferPointer<ProjectionEntry>, _ index: Int) {
    if index < projection.count, let base = items.baseAddress {
      polku_prefetch(base + Int(projection[index].from))
    }
  }

  /// Reports every frequent extension of ``prefix`` (whose projection is `projection` and
  /// length is `depth`) and mines below it, depth first.
  func expand(_ projection: UnsafeBufferPointer<ProjectionEntry>, depth: Int) {
    let needProjections = depth + 1 < limit
    let kids = children(of: projection, depth: depth, needProjections: needProjections)
    for kid in kids {
      prefix.append(kid.item)
      output.append(prefix, support: Int(kid.support))
      if needProjections && kid.end > kid.start {
        let level = levels[depth]
        expand(UnsafeBufferPointer(rebasing: level[kid.start..<kid.end]), depth: depth + 1)
      }
      prefix.removeLast()
    }
  }
}
