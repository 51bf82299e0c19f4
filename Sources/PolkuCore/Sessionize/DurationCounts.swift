/// Session durations (whole seconds) as counts per value: exact percentiles and mean from
/// a few kilobytes, where a list of every duration would take 8 bytes a session.
///
/// Merges by adding counts. Durations under ``denseLimit`` seconds (18 hours) are counted
/// in an array, longer ones (and negative ones, which a clock step could give) in a
/// dictionary.
struct DurationCounts: Sendable, Equatable {
  static let denseLimit = 1 << 16

  private var dense = [Int](repeating: 0, count: DurationCounts.denseLimit)
  private var sparse: [Int64: Int] = [:]
  /// Sessions counted.
  private(set) var count = 0
  /// The sum of their durations.
  private(set) var sum: Int64 = 0

  mutating func add(_ seconds: Int64) {
    if seconds >= 0 && seconds < Int64(DurationCounts.denseLimit) {
      dense[Int(seconds)] += 1
    } else {
      sparse[seconds, default: 0] += 1
    }
    count += 1
    sum += seconds
  }

  mutating func merge(_ other: DurationCounts) {
    for value in other.dense.indices where other.dense[value] != 0 {
      dense[value] += other.dense[value]
    }
    sparse.merge(other.sparse, uniquingKeysWith: +)
    count += other.count
    sum += other.sum
  }

  /// The nearest-rank percentile: the smallest duration with at least `fraction` of all
  /// durations at or below it (0 when there are none).
  func percentile(_ fraction: Double) -> Int64 {
    guard count > 0 else { return 0 }
    let rank = max(1, min(count, Int((fraction * Double(count)).rounded(.up))))
    var seen = 0
    for (value, times) in ascending() {
      seen += times
      if seen >= rank { return value }
    }
    return 0
  }

  /// Every duration with its count, shortest first.
  func ascending() -> [(value: Int64, count: Int)] {
    let below = sparse.filter { $0.key < 0 }.sorted { $0.key < $1.key }
    let above = sparse.filter { $0.key >= 0 }.sorted { $0.key < $1.key }
    var all = below.map { ($0.key, $0.value) }
    for value in dense.indices where dense[value] != 0 { all.append((Int64(value), dense[value])) }
    all += above.map { ($0.key, $0.value) }
    return all
  }
}
