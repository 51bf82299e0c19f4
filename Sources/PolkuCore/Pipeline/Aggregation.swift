/// A computation over many elements split into parts: Apache Beam's `CombineFn`.
///
/// ``create()`` makes an empty partial, ``add(_:to:)`` folds one element into it,
/// ``Mergeable/merge(_:)`` combines two partials, and ``extract(_:)`` turns the merged
/// total into the result. Partials are merged in part order and `merge` is associative,
/// so partials computed per thread, per file or per cluster partition give the same
/// result as one pass over all elements, whatever the number of parts.
public protocol Aggregation: Sendable {
  associatedtype Element
  associatedtype Partial: Mergeable
  associatedtype Result

  /// An empty partial: merging it into any partial leaves that partial as it was.
  func create() -> Partial

  /// Folds one element into `partial`.
  func add(_ element: Element, to partial: inout Partial)

  /// The result of all elements folded into `partial`.
  func extract(_ partial: consuming Partial) -> Result
}

/// A partial result that merges with another of its kind.
///
/// `merge` is associative: `(a + b) + c` equals `a + (b + c)`. Callers merge in a fixed
/// part order, so it need not be commutative where order is part of the result (ids
/// interned in first-seen order).
public protocol Mergeable: Sendable {
  /// Folds `other`, computed over elements after this partial's, into this partial.
  mutating func merge(_ other: consuming Self)
}

extension Aggregation {
  /// The result over `parts` parts, each a sequence of elements: every part is added to a
  /// partial of its own on `threads` workers, and the partials are merged in part order.
  public func aggregate<Part: Sequence>(
    _ parts: [Part], threads: Int
  ) -> Result where Part.Element == Element, Part: Sendable, Element: Sendable {
    let total = mergeInOrder(parts: parts.count, threads: threads, into: create()) { index in
      var partial = create()
      for element in parts[index] { add(element, to: &partial) }
      return partial
    }
    return extract(total)
  }
}
