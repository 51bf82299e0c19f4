/// A coding key that matches any key, used to list the keys an object actually has.
struct AnyCodingKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

/// The dotted path of a decoder's position, for error messages (`inputs[0].fields`).
func dottedPath(_ codingPath: [any CodingKey]) -> String {
  var text = ""
  for key in codingPath {
    if let index = key.intValue {
      text += "[\(index)]"
    } else {
      text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
    }
  }
  return text.isEmpty ? "(root)" : text
}

/// A key a pipeline file must not have, or not as written: decoding stops at the first.
protocol PipelineKeyError: Error, CustomStringConvertible {}

/// An unknown key in a pipeline file; decoding stops at the first one.
struct UnknownKeysError: PipelineKeyError {
  var path: String
  var keys: [String]
  var known: [String]
  var description: String {
    "unknown key(s) \(keys.map { "\"\($0)\"" }.joined(separator: ", ")) at '\(path)'; "
      + "known: \(known.joined(separator: ", "))"
  }
}

/// A key whose value is `null`: no key takes null (leaving the key out means its default),
/// so a `null` is refused rather than read as the default, which it may not mean.
struct NullValuesError: PipelineKeyError {
  var path: String
  var keys: [String]
  var description: String {
    let names = keys.map { "\"\($0)\"" }.joined(separator: ", ")
    return "\(names) at '\(path)' \(keys.count == 1 ? "is" : "are") null; give a value, or leave "
      + "the key out for its default"
  }
}

extension Decoder {
  /// A keyed container that rejects keys not in `Key.allCases`.
  ///
  /// `Codable` ignores unknown keys by default, so a typo such as `gap_minute` would be
  /// silently dropped, and reads `null` as an absent key, so `"exclude_status_from": null`
  /// would quietly mean the default 400: a pipeline file must say what it means or fail.
  func strictContainer<Key: CodingKey & CaseIterable>(keyedBy type: Key.Type) throws
    -> KeyedDecodingContainer<Key>
  {
    let all = try container(keyedBy: AnyCodingKey.self)
    let known = Set(Key.allCases.map(\.stringValue))
    let unknown = all.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
    if !unknown.isEmpty {
      throw UnknownKeysError(
        path: dottedPath(codingPath), keys: unknown,
        known: Key.allCases.map(\.stringValue))
    }
    let nulls = try all.allKeys.filter { try all.decodeNil(forKey: $0) }.map(\.stringValue)
    if !nulls.isEmpty {
      throw NullValuesError(path: dottedPath(codingPath), keys: nulls.sorted())
    }
    return try container(keyedBy: type)
  }
}
