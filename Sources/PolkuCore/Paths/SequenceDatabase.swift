/// Item sequences in compressed-sparse-row layout: one flat `[UInt32]` of items and the
/// offsets where each sequence starts.
///
/// Sequence `i` is `items[offsets[i] ..< offsets[i + 1]]`. Every element is a single item
/// (a click-stream step), so there are no itemset separators. Appending never copies the
/// sequences already stored.
public struct SequenceDatabase: Sendable, Equatable {
  /// All items, sequence after sequence.
  public private(set) var items: [UInt32] = []
  /// `count + 1` offsets into ``items``; the first is 0.
  public private(set) var offsets: [Int] = [0]

  /// An empty database.
  public init() {}

  /// A database from a flat item array and its `count + 1` offsets.
  ///
  /// - Precondition: offsets start at 0, never decrease and end at `items.count`.
  public init(items: [UInt32], offsets: [Int]) {
    precondition(offsets.first == 0 && offsets.last == items.count, "bad CSR offsets")
    self.items = items
    self.offsets = offsets
  }

  /// A database from nested arrays (tests, small inputs).
  public init(_ sequences: [[UInt32]]) {
    for sequence in sequences { append(sequence) }
  }

  /// The number of sequences.
  public var count: Int { offsets.count - 1 }

  /// The items of sequence `index`.
  public subscript(index: Int) -> ArraySlice<UInt32> {
    items[offsets[index]..<offsets[index + 1]]
  }

  /// Appends one sequence.
  public mutating func append<S: Sequence>(_ sequence: S) where S.Element == UInt32 {
    items.append(contentsOf: sequence)
    offsets.append(items.count)
  }

  /// Appends one item to the sequence being built with ``closeSequence()``.
  public mutating func appendItem(_ item: UInt32) {
    items.append(item)
  }

  /// Ends the sequence made of the items appended since the previous one ended.
  public mutating func closeSequence() {
    offsets.append(items.count)
  }

  /// Appends every sequence of `other`.
  public mutating func append(contentsOf other: SequenceDatabase) {
    let base = items.count
    items.append(contentsOf: other.items)
    offsets.reserveCapacity(offsets.count + other.count)
    for offset in other.offsets.dropFirst() { offsets.append(base + offset) }
  }

  /// Reserves room for `items` more items and `sequences` more sequences.
  public mutating func reserveCapacity(items itemCount: Int, sequences: Int) {
    items.reserveCapacity(items.count + itemCount)
    offsets.reserveCapacity(offsets.count + sequences)
  }
}
