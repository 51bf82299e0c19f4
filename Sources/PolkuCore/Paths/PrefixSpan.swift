import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Frequent sequential pattern mining with gaps (PrefixSpan, Pei et al. 2001).
///
/// A pattern is contained in a sequence when its items appear in it in order, gaps
/// allowed; its support is the number of sequences that contain it (not the number of
/// occurrences). Patterns with support >= ``minSupport`` are returned.
///
/// The miner works on ``SequenceDatabase`` (single-item elements, as in click-streams):
/// infrequent items are dropped and the rest renumbered densely once; projected databases
/// are pseudo-projections (a start/end index pair per sequence, never a copied suffix);
/// support counting uses dense arrays indexed by item with per-sequence stamps, and every
/// child projection of a node is built in one bucket pass. Equal sequences are stored once
/// with a weight. The subtrees under two-item prefixes are mined on several threads; the
/// result does not depend on the thread count.
public struct PrefixSpan: Sendable {
  /// The least number of sequences a pattern must be contained in; at least 1.
  public var minSupport: Int
  /// Shorter patterns are not reported (they are still extended). Default 1.
  public var minLength: Int
  /// Longer patterns are not mined; 0 means no limit. Default 0.
  public var maxLength: Int
  /// Report only closed patterns: those with no super-pattern of equal support. With a
  /// ``maxLength``, closedness is still judged against the longer patterns. Default false.
  public var closedOnly: Bool
  /// Worker threads; 0 means one per online CPU. Default 0.
  public var threads: Int

  /// A miner with the given options.
  public init(
    minSupport: Int, minLength: Int = 1, maxLength: Int = 0, closedOnly: Bool = false,
    threads: Int = 0
  ) {
    self.minSupport = minSupport
    self.minLength = minLength
    self.maxLength = maxLength
    self.closedOnly = closedOnly
    self.threads = threads
  }

  /// The absolute support a fraction stands for: `ceil(fraction × sequences)`, at least 1
  /// (SPMF's convention). A tiny tolerance keeps `0.1 × 30` at 3, not 4.
  public static func absoluteSupport(fraction: Double, sequences: Int) -> Int {
    let exact = fraction * Double(sequences)
    let rounded = exact.rounded()
    let value = abs(exact - rounded) < 1e-9 * max(1, exact) ? rounded : exact.rounded(.up)
    return max(1, Int(value))
  }

  /// Mines `database` and returns the frequent patterns with their supports, in depth-first
  /// prefix order (item ids ascending among siblings).
  ///
  /// The database is consumed: once its frequent items are copied into the miner's
  /// compact form it is released (when the caller gave up its copy), before mining.
  public func mine(_ database: consuming SequenceDatabase) -> SequentialPatterns {
    let minimum = max(1, minSupport)
    let limit = maxLength <= 0 ? Int.max : maxLength
    // Closedness of a pattern of the maximum length needs the patterns one item longer.
    let searchLimit = closedOnly && limit != Int.max ? limit + 1 : limit
    let workers = threads > 0 ? threads : onlineCPUs()
    let compact = CompactDatabase(consume database, minSupport: minimum, threads: workers)
    var patterns = compact.mine(minSupport: minimum, limit: searchLimit, threads: workers)
    if closedOnly { patterns = patterns.closedPatterns() }
    if minLength > 1 || searchLimit != limit {
      patterns = patterns.filtered { $0 >= minLength && $0 <= limit }
    }
    return patterns
  }
}

/// The number of online CPUs (at least 1).
func onlineCPUs() -> Int {
  #if canImport(Glibc) || canImport(Darwin)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  #else
    return 1
  #endif
}

extension SequentialPatterns {
  /// The patterns whose length passes `keep`, in the same order.
  func filtered(length keep: (Int) -> Bool) -> SequentialPatterns {
    var result = SequentialPatterns()
    for index in 0..<count where keep(length(index)) {
      result.append(self[index], support: supports[index])
    }
    return result
  }
}

/// A database restricted to its frequent items, renumbered `0 ..< alphabet`, with equal
/// sequences stored once and weighted by how often they occur.
///
/// Click-stream sessions repeat a lot (most are a few common steps), so mining the
/// distinct sequences with weights does the same counting on a fraction of the items;
/// supports are the weighted counts, identical to mining every sequence.
struct CompactDatabase {
  var items: [UInt32] = []
  var offsets: [Int] = [0]
  /// How many input sequences each stored sequence stands for.
  var weights: [UInt32] = []
  /// The original id of each compact item, ascending.
  var originals: [UInt32] = []

  /// Compacts `database` on `threads` workers. Each takes a run of sequences: it counts
  /// their item supports, then (with the frequent items known) stores its distinct
  /// remapped sequences. The runs' results are combined in order, so the result is the
  /// same for any number of workers.
  init(_ database: SequenceDatabase, minSupport: Int, threads: Int = 1) {
    let maxItem = Int(database.items.max() ?? 0)
    guard maxItem < 1 << 24 else {
      self = CompactDatabase(sparse: database, minSupport: minSupport)
      return
    }
    let runs = CompactDatabase.runs(of: database.count, threads: threads)
    // Supports: sequences containing each item.
    let partSupports: [[Int32]] =
      (try? parallelMap(count: runs.count, threads: threads) { run in
        var support = [Int32](repeating: 0, count: maxItem + 1)
        var seen = [Int32](repeating: -1, count: maxItem + 1)
        for sequence in runs[run] {
          for position in database.offsets[sequence]..<database.offsets[sequence + 1] {
            let item = Int(database.items[position])
            if seen[item] != Int32(truncatingIfNeeded: sequence) {
              seen[item] = Int32(truncatingIfNeeded: sequence)
              support[item] += 1
            }
          }
        }
        return support
      }) ?? []
    var remap = [UInt32](repeating: UInt32.max, count: maxItem + 1)
    for item in 0...maxItem {
      let support = partSupports.reduce(0) { $0 + Int($1[item]) }
      if support >= minSupport {
        remap[item] = UInt32(originals.count)
        originals.append(UInt32(item))
      }
    }
    // Each run's distinct sequences of frequent items (empty ones dropped), with counts.
    let frequent = remap
    let parts: [(distinct: SequenceInterner, counts: [UInt32])] =
      (try? parallelMap(count: runs.count, threads: threads) { run in
        var distinct = SequenceInterner(capacity: max(16, runs[run].count / 4))
        var counts: [UInt32] = []
        var mapped: [UInt32] = []
        for sequence in runs[run] {
          mapped.removeAll(keepingCapacity: true)
          for position in database.offsets[sequence]..<database.offsets[sequence + 1] {
            let item = frequent[Int(database.items[position])]
            if item != UInt32.max { mapped.append(item) }
          }
          guard !mapped.isEmpty else { continue }
          let id = mapped.withUnsafeBufferPointer { distinct.intern($0) }
          if id == counts.count { counts.append(0) }
          counts[id] += 1
        }
        return (distinct, counts)
      }) ?? []
    // In run order: a sequence's id is that of its first occurrence in the database.
    var distinct = parts.first?.distinct ?? SequenceInterner(capacity: 16)
    var counts = parts.first?.counts ?? []
    for part in parts.dropFirst() {
      for (local, id) in distinct.absorb(part.distinct).enumerated() {
        if id == counts.count { counts.append(0) }
        counts[id] += part.counts[local]
      }
    }
    precondition(distinct.arena.count < Int(UInt32.max), "too many items for PrefixSpan")
    items = distinct.arena
    offsets = distinct.offsets
    weights = counts
  }

  /// Sequence index ranges for `threads` workers: one run each, or one for a small
  /// database.
  private static func runs(of count: Int, threads: Int) -> [Range<Int>] {
    let parts = count < 10_000 ? 1 : max(1, threads)
    return (0..<parts).map { part in (count * part / parts)..<(count * (part + 1) / parts) }
  }

  /// Sparse ids (rare): supports counted with a dictionary, on one thread.
  private init(sparse database: SequenceDatabase, minSupport: Int) {
    var support: [UInt32: Int] = [:]
    for sequence in 0..<database.count {
      for item in Set(database[sequence]) { support[item, default: 0] += 1 }
    }
    originals = support.filter { $0.value >= minSupport }.keys.sorted()
    var map: [UInt32: UInt32] = [:]
    for (index, item) in originals.enumerated() { map[item] = UInt32(index) }
    for sequence in 0..<database.count {
      for item in database[sequence] {
        if let mapped = map[item] { items.append(mapped) }
      }
      if items.count > offsets[offsets.count - 1] { offsets.append(items.count) }
    }
    precondition(items.count < Int(UInt32.max), "too many items for PrefixSpan")
    deduplicate()
  }

  /// Stores each distinct sequence once, in first-occurrence order, with its count.
  private mutating func deduplicate() {
    var distinct = SequenceInterner(capacity: max(16, (offsets.count - 1) / 4))
    var counts: [UInt32] = []
    items.withUnsafeBufferPointer { all in
      for sequence in 0..<(offsets.count - 1) {
        let id = distinct.intern(
          UnsafeBufferPointer(rebasing: all[offsets[sequence]..<offsets[sequence + 1]]))
        if id == counts.count { counts.append(0) }
        counts[id] += 1
      }
    }
    items = distinct.arena
    offsets = distinct.offsets
    weights = counts
  }

  /// Mines the frequent patterns (original item ids) up to `limit` items long.
  ///
  /// One worker finds the frequent items and, for each in turn, its frequent two-item
  /// extensions; the subtrees under those pairs are mined by `threads` workers side by
  /// side. Splitting at the second level keeps the workers busy even when one first item
  /// holds most of the patterns (the home page of a web site).
  func mine(minSupport: Int, limit: Int, threads: Int) -> SequentialPatterns {
    guard !originals.isEmpty, limit >= 1 else { return SequentialPatterns() }
    // Item sets of suffixes (alphabets of at most 32 items): every level counts from them.
    let suffixItems = originals.count <= 32 ? suffixItemSets() : []
    return mine(minSupport: minSupport, limit: limit, threads: threads, suffixItems: suffixItems)
  }

  private func mine(minSupport: Int, limit: Int, threads: Int, suffixItems: [UInt32])
    -> SequentialPatterns
  {
    suffixItems.withUnsafeBufferPointer { suffixBuffer in
      items.withUnsafeBufferPointer { itemBuffer in
        // The root projection: every sequence from its start.
        var root = [ProjectionEntry]()
        root.reserveCapacity(offsets.count - 1)
        for sequence in 0..<(offsets.count - 1) {
          root.append(
            ProjectionEntry(
              from: UInt32(offsets[sequence]), to: UInt32(offsets[sequence + 1]),
              weight: weights[sequence]))
        }
        let alphabet = originals.count
        func makeWorker() -> PrefixSpanWorker {
          PrefixSpanWorker(
            items: itemBuffer, suffixItems: suffixBuffer, alphabet: alphabet,
            minSupport: Int32(minSupport), limit: limit)
        }
        let rootWorker = makeWorker()
        let workers = SharedWorkers((0..<max(1, threads)).map { _ in makeWorker() })
        let branches = root.withUnsafeBufferPointer {
          rootWorker.children(of: $0, depth: 0, needProjections: limit > 1)
        }
        var patterns = SequentialPatterns()
        for branch in branches {
          patterns.append([branch.item], support: Int(branch.support))
          guard limit > 1 && branch.end > branch.start else { continue }
          let pairs = rootWorker.children(
            of: UnsafeBufferPointer(rebasing: rootWorker.levelBuffer(0)[branch.start..<branch.end]),
            depth: 1, needProjections: limit > 2)
          let shared = SharedBranches(
            items: itemBuffer, rootBuffer: UnsafeBufferPointer(rootWorker.levelBuffer(1)),
            branches: pairs)
          let results = Mutex<[SequentialPatterns?]>(Array(repeating: nil, count: pairs.count))
          let next = Atomic<Int>(0)
          let first = branch.item
          DispatchQueue.concurrentPerform(iterations: min(workers.all.count, pairs.count)) { slot in
            let worker = workers.all[slot]
            while true {
              let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
              guard index < shared.branches.count else { break }
              let pair = shared.branches[index]
              worker.output = SequentialPatterns()
              worker.prefix = [first, pair.item]
              worker.output.append(worker.prefix, support: Int(pair.support))
              if limit > 2 && pair.end > pair.start {
                worker.expand(
                  UnsafeBufferPointer(rebasing: shared.rootBuffer[pair.start..<pair.end]), depth: 2)
              }
              let output = worker.output
              results.withLock { $0[index] = output }
            }
          }
          for case let part? in results.withLock({ $0 }) { patterns.append(contentsOf: part) }
        }
        for index in patterns.items.indices {
          patterns.items[index] = originals[Int(patterns.items[index])]
        }
        return patterns
      }
    }
  }

  /// Per position, the set of items from there to the end of its sequence (bit `item`;
  /// the alphabet has at most 32 items).
  func suffixItemSets() -> [UInt32] {
    var sets = [UInt32](repeating: 0, count: items.count)
    for sequence in 0..<(offsets.count - 1) {
      var set: UInt32 = 0
      var position = offsets[sequence + 1] - 1
      while position >= offsets[sequence] {
        set |= 1 << UInt32(items[position])
        sets[position] = set
        position -= 1
      }
    }
    return sets
  }
}

/// Workers handed to the threads of one parallel section; each thread uses its own.
struct SharedWorkers: @unchecked Sendable {
  let all: [PrefixSpanWorker]
  init(_ all: [PrefixSpanWorker]) { self.all = all }
}

/// A pseudo-projected sequence: the suffix `items[from ..< to]` of a stored sequence that
/// stands for `weight` input sequences.
struct ProjectionEntry {
  var from: UInt32
  var to: UInt32
  var weight: UInt32
}

/// The branches mined in one parallel section and the buffer their projections live in,
/// read by every worker thread. The pointers stay valid for the whole section.
struct SharedBranches: @unchecked Sendable {
  let items: UnsafeBufferPointer<UInt32>
  let rootBuffer: UnsafeBufferPointer<ProjectionEntry>
  let branches: [PrefixSpanWorker.Child]
}
