/// The decoded field values of one input record, as bytes in a reusable arena.
///
/// A parser calls ``reset()`` and then ``set(_:_:)`` (or ``begin(_:)``/``append(_:)``/
/// ``end(_:)`` for values it decodes piecewise, such as JSON strings with escapes) for each
/// field it finds. The arena keeps its capacity between records, so parsing a line does not
/// allocate once the first few lines have been seen.
public struct RecordFields: Sendable {
  /// Decoded bytes of all values of the current record.
  public private(set) var storage: [UInt8] = []
  private var starts = [Int32](repeating: 0, count: Field.allCases.count)
  private var lengths = [Int32](repeating: -1, count: Field.allCases.count)

  public init() {
    storage.reserveCapacity(4096)
  }

  /// Forgets every value; keeps the arena's capacity.

  public mutating func reset() {
    storage.removeAll(keepingCapacity: true)
    for index in 0..<Field.allCases.count { lengths[index] = -1 }
  }

  /// Stores `bytes` as the value of `field`, replacing any earlier value.
  public mutating func set(_ field: Field, _ bytes: UnsafeBufferPointer<UInt8>) {
    starts[field.rawValue] = Int32(storage.count)
    storage.append(contentsOf: bytes)
    lengths[field.rawValue] = Int32(bytes.count)
  }

  /// Stores the UTF-8 of `text` as the value of `field` (tests and slow paths).
  public mutating func set(_ field: Field, string text: String) {
    var copy = text
    copy.withUTF8 { set(field, $0) }
  }

  /// Starts a value that is then built with ``append(_:)`` and closed with ``end(_:)``.
  public mutating func begin(_ field: Field) {
    starts[field.rawValue] = Int32(storage.count)
  }

  /// Appends one decoded byte to the value being built.

  public mutating func append(_ byte: UInt8) {
    storage.append(byte)
  }

  /// Appends decoded bytes to the value being built.
  public mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
    storage.append(contentsOf: bytes)
  }

  /// Closes the value started by ``begin(_:)``.
  public mutating func end(_ field: Field) {
    lengths[field.rawValue] = Int32(storage.count) - starts[field.rawValue]
  }

  /// Removes the value of `field`.
  public mutating func clear(_ field: Field) {
    lengths[field.rawValue] = -1
  }

  /// Whether the current record has a value (possibly empty) for `field`.
  public func has(_ field: Field) -> Bool {
    lengths[field.rawValue] >= 0
  }

  /// Calls `body` with the value of `field`, or returns nil when the record has none.
  public func withValue<R>(_ field: Field, _ body: (UnsafeBufferPointer<UInt8>) throws -> R)
    rethrows -> R?
  {
    let length = Int(lengths[field.rawValue])
    guard length >= 0 else { return nil }
    let start = Int(starts[field.rawValue])
    return try storage.withUnsafeBufferPointer { all in
      try body(UnsafeBufferPointer(rebasing: all[start..<(start + length)]))
    }
  }

  /// The value of `field` decoded as UTF-8 (tests, error messages), or nil when absent.
  public func string(_ field: Field) -> String? {
    withValue(field) { String(decoding: $0, as: UTF8.self) }
  }
}
