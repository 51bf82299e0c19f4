/// Frequent sequential patterns with their supports, in CSR layout.
///
/// Pattern `i` is `items[offsets[i] ..< offsets[i + 1]]` with support `supports[i]` (the
/// number of sequences that contain it as a subsequence). ``PrefixSpan`` returns them in
/// depth-first prefix order (a pattern before its extensions, extensions in item order);
/// ``canonicalText()`` gives an order-independent form for comparisons.
public struct SequentialPatterns: Sendable, Equatable {
  /// All patterns' items, pattern after pattern.
  public internal(set) var items: [UInt32] = []
  /// `count + 1` offsets into ``items``; the first is 0.
  public internal(set) var offsets: [Int] = [0]
  /// The support of each pattern: the number of sequences containing it.
  public internal(set) var supports: [Int] = []

  /// No patterns.
  public init() {}

  /// The number of patterns.
  public var count: Int { supports.count }

  /// The items of pattern `index`.
  public subscript(index: Int) -> ArraySlice<UInt32> {
    items[offsets[index]..<offsets[index + 1]]
  }

  /// The length of pattern `index`.
  public func length(_ index: Int) -> Int { offsets[index + 1] - offsets[index] }

  /// Appends a pattern.
  public mutating func append<S: Sequence>(_ pattern: S, support: Int)
  where S.Element == UInt32 {
    items.append(contentsOf: pattern)
    offsets.append(items.count)
    supports.append(support)
  }

  /// Appends every pattern of `other`.
  public mutating func append(contentsOf other: SequentialPatterns) {
    let base = items.count
    items.append(contentsOf: other.items)
    for offset in other.offsets.dropFirst() { offsets.append(base + offset) }
    supports.append(contentsOf: other.supports)
  }

  /// One line per pattern, `support<TAB>item item ...`, sorted by the item sequence
  /// compared numerically: the format `scripts/prefixspan_oracle.py` prints.
  public func canonicalText() -> String {
    let order = (0..<count).sorted { self[$0].lexicographicallyPrecedes(self[$1]) }
    var text = ""
    for index in order {
      text += String(supports[index]) + "\t"
      text += self[index].map { String($0) }.joined(separator: " ") + "\n"
    }
    return text
  }
}
