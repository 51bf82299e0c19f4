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
/// child projection of a node is built in one bucket pass. The first-level branches are
/// mined on several threads; the result does not depend on the thread count.
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
  public func mine(_ database: SequenceDatabase) -> SequentialPatterns {
    let minimum = max(1, minSupport)
    let limit = maxLength <= 0 ? Int.max : maxLength
    // Closedness of a pattern of the maximum length needs the patterns one item longer.
    let searchLimit = closedOnly && limit != Int.max ? limit + 1 : limit
    let compact = CompactDatabase(database, minSupport: minimum)
    var patterns = compact.mine(
      minSupport: minimum, limit: searchLimit, threads: threads > 0 ? threads : onlineCPUs())
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

/// A database restricted to its frequent items, renumbered `0 ..< alphabet`.
struct CompactDatabase {
  var items: [UInt32] = []
  var offsets: [Int] = [0]
  /// The original id of each compact item, ascending.
  var originals: [UInt32] = []

  init(_ database: SequenceDatabase, minSupport: Int) {
    let maxItem = Int(database.items.max() ?? 0)
    var remap: [UInt32]
    if maxItem < 1 << 24 {
      var support = [Int32](repeating: 0, count: maxItem + 1)
      var seen = [Int32](repeating: -1, count: maxItem + 1)
      for sequence in 0..<database.count {
        for position in database.offsets[sequence]..<database.offsets[sequence + 1] {
          let item = Int(database.items[position])
          if seen[item] != Int32(truncatingIfNeeded: sequence) {
            seen[item] = Int32(truncatingIfNeeded: sequence)
            support[item] += 1
          }
        }
      }
      remap = [UInt32](repeating: UInt32.max, count: maxItem + 1)
      for item in 0...maxItem where Int(support[item]) >= minSupport {
        remap[item] = UInt32(originals.count)
        originals.append(UInt32(item))
      }
      items.reserveCapacity(database.items.count)
      for sequence in 0..<database.count {
        for position in database.offsets[sequence]..<database.offsets[sequence + 1] {
          let mapped = remap[Int(database.items[position])]
          if mapped != UInt32.max { items.append(mapped) }
        }
        if items.count > offsets[offsets.count - 1] { offsets.append(items.count) }
      }
    } else {
      // Sparse ids (rare): count with a dictionary.
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
    }
    precondition(items.count < Int(UInt32.max), "too many items for PrefixSpan")
  }

  /// Mines the frequent patterns (original item ids) up to `limit` items long.
  func mine(minSupport: Int, limit: Int, threads: Int) -> SequentialPatterns {
    guard !originals.isEmpty, limit >= 1 else { return SequentialPatterns() }
    return items.withUnsafeBufferPointer { itemBuffer in
      // The root projection: every sequence from its start.
      var root = [ProjectionEntry]()
      root.reserveCapacity(offsets.count - 1)
      for sequence in 0..<(offsets.count - 1) {
        root.append(
          ProjectionEntry(from: UInt32(offsets[sequence]), to: UInt32(offsets[sequence + 1])))
      }
      let rootWorker = PrefixSpanWorker(
        items: itemBuffer, alphabet: originals.count, minSupport: Int32(minSupport), limit: limit)
      let branches = root.withUnsafeBufferPointer {
        rootWorker.children(of: $0, depth: 0, needProjections: limit > 1)
      }
      let shared = SharedBranches(
        items: itemBuffer, rootBuffer: UnsafeBufferPointer(rootWorker.levelBuffer(0)),
        branches: branches)
      let results = Mutex<[SequentialPatterns?]>(Array(repeating: nil, count: branches.count))
      let next = Mutex(0)
      let workers = max(1, min(threads, branches.count))
      let alphabet = originals.count
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        let worker = PrefixSpanWorker(
          items: shared.items, alphabet: alphabet, minSupport: Int32(minSupport), limit: limit)
        while true {
          let index = next.withLock { value in
            defer { value += 1 }
            return value
          }
          guard index < shared.branches.count else { break }
          let branch = shared.branches[index]
          worker.output = SequentialPatterns()
          worker.prefix = [branch.item]
          worker.output.append(worker.prefix, support: Int(branch.support))
          if limit > 1 && branch.end > branch.start {
            let projection = UnsafeBufferPointer(
              rebasing: shared.rootBuffer[branch.start..<branch.end])
            worker.expand(projection, depth: 1)
          }
          let output = worker.output
          results.withLock { $0[index] = output }
        }
      }
      var patterns = SequentialPatterns()
      for case let part? in results.withLock({ $0 }) { patterns.append(contentsOf: part) }
      for index in patterns.items.indices {
        patterns.items[index] = originals[Int(patterns.items[index])]
      }
      _ = rootWorker  // keeps the root buffer alive until here
      return patterns
    }
  }
}

/// A pseudo-projected sequence: the suffix `items[from ..< to]`.
struct ProjectionEntry {
  var from: UInt32
  var to: UInt32
}

/// The first-level branches and the buffer their projections live in, read by every
/// worker thread. The pointers stay valid for the whole parallel section.
struct SharedBranches: @unchecked Sendable {
  let items: UnsafeBufferPointer<UInt32>
  let rootBuffer: UnsafeBufferPointer<ProjectionEntry>
  let branches: [PrefixSpanWorker.Child]
}
