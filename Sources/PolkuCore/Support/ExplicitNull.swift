/// An optional that encodes nil as `null` instead of leaving its key out.
///
/// Synthesized `Encodable` writes an optional property with `encodeIfPresent`, so a nil
/// value drops the key. `summary.json` documents keys such as `median_seconds` as `null`
/// when there is nothing to take a median of, so that every row has the same keys. Declare
/// such a property `@ExplicitNull var medianSeconds: Double?`. The conformance stays
/// synthesized: the wrapper is not an optional, so its key is always written, and the
/// wrapper itself writes `null` for nil.
@propertyWrapper
public struct ExplicitNull<Wrapped: Encodable>: Encodable {
  /// The value; nil is encoded as `null`.
  public var wrappedValue: Wrapped?

  /// Wraps `wrappedValue`.
  public init(wrappedValue: Wrapped?) {
    self.wrappedValue = wrappedValue
  }

  /// Encodes the value, or `null` for nil.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if let wrappedValue {
      try container.encode(wrappedValue)
    } else {
      try container.encodeNil()
    }
  }
}

extension ExplicitNull: Sendable where Wrapped: Sendable {}
extension ExplicitNull: Equatable where Wrapped: Equatable {}
