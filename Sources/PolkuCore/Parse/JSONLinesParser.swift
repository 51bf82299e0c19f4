/// Parses JSON Lines (one JSON object per line, e.g. Segment exports) into ``RecordFields``.
///
/// Each field is taken from a dotted path into nested objects (`context.page.path`). The
/// paths are compiled once into a key trie; one pass over a line validates the whole line
/// and extracts every wanted value, skipping everything else without building a tree.
///
/// Line rules:
/// - a blank line (only JSON whitespace) → `.skip`;
/// - anything but exactly one well-formed JSON object, optionally surrounded by whitespace
///   → `.bad(.invalidJSON)`; a raw NUL byte → `.bad(.nulByte)`;
/// - objects or arrays nested deeper than 64 (the top-level object is depth 1)
///   → `.bad(.tooDeep)`.
///
/// Value rules: strings are unescaped (`\uXXXX` to UTF-8, surrogate pairs joined, a lone
/// surrogate becomes U+FFFD); numbers keep their raw bytes (`1.7e9`); `true`/`false` keep
/// their bytes; `null`, objects and arrays at a mapped path leave the field absent, as does
/// a non-object where the path needs an object. When a key repeats, the last one wins (a
/// repeated parent key replaces everything the earlier one provided). Bytes >= 0x80 are
/// copied as they are: check fields with ``UTF8Check`` where UTF-8 matters.
///
/// Paths may select from arrays of key/value objects and list fallbacks
/// (`event_params[key=ga_session_id].value.int_value|…`, see ``JSONFieldPath``): the array
/// is scanned in place, and fallbacks fill hidden slots of ``RecordFields`` that are
/// resolved after the line, so neither builds objects.
public struct JSONLinesParser: LineParser, Sendable {
  let trie: JSONKeyTrie
  /// Per field with fallbacks: the hidden slots of its later alternatives, in order.
  let fallbacks: [(field: Field, slots: [Int])]

  /// Creates a parser extracting `paths`, e.g. `[.page: "context.page.path"]`. A malformed
  /// path (which validation reports) is read as a plain dotted path.
  public init(paths: [Field: String]) {
    var slots: [(slot: Int, steps: [JSONFieldPath.Step])] = []
    var fallbacks: [(field: Field, slots: [Int])] = []
    var nextHidden = Field.count
    for (field, text) in paths.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      let path = JSONFieldPath.lenient(text)
      slots.append((field.rawValue, path.alternatives[0]))
      var hidden: [Int] = []
      for steps in path.alternatives.dropFirst() where nextHidden < RecordFields.slotCount {
        slots.append((nextHidden, steps))
        hidden.append(nextHidden)
        nextHidden += 1
      }
      if !hidden.isEmpty { fallbacks.append((field, hidden)) }
    }
    trie = JSONKeyTrie(slots: slots)
    self.fallbacks = fallbacks
  }

  /// Validates `line` as one JSON object and fills the mapped fields (see the type's rules).
  public mutating func parse(_ line: UnsafeBufferPointer<UInt8>, into fields: inout RecordFields)
    -> ParseOutcome
  {
    guard let base = line.baseAddress else { return .skip }
    var scanner = JSONScanner(base: base, count: line.count)
    scanner.skipWhitespace()
    if scanner.pos == line.count { return .skip }
    do throws(JSONScanError) {
      guard base[scanner.pos] == UInt8(ascii: "{") else { throw JSONScanError.invalid }
      try scanner.parseObject(node: 0, depth: 1, trie: trie, fields: &fields)
      guard scanner.atEndAfterWhitespace() else { throw JSONScanError.invalid }
      if !fallbacks.isEmpty { resolveFallbacks(in: fields) }
      return .record
    } catch .tooDeep {
      return .bad(.tooDeep)
    } catch {
      return line.contains(0) ? .bad(.nulByte) : .bad(.invalidJSON)
    }
  }

  /// Gives each field without a value its first present fallback.
  private func resolveFallbacks(in fields: RecordFields) {
    for (field, slots) in fallbacks where !fields.has(field) {
      if let slot = slots.first(where: { fields.has(slot: $0) }) {
        fields.alias(slot: slot, to: field.rawValue)
      }
    }
    fields.clearHiddenSlots()
  }
}

extension JSONScanner {
  /// Parses the object at `pos` whose keys are looked up among the children of `node`.
  mutating func parseObject(
    node: Int, depth: Int, trie: JSONKeyTrie, fields: inout RecordFields
  ) throws(JSONScanError) {
    guard depth <= JSONScanner.maxDepth else { throw .tooDeep }
    pos += 1
    skipWhitespace()
    guard pos < end else { throw .invalid }
    if base[pos] == UInt8(ascii: "}") {
      pos += 1
      return
    }
    while true {
      guard base[pos] == UInt8(ascii: "\"") else { throw .invalid }
      pos += 1
      let keyStart = pos
      let (keyEnd, escaped) = try skipStringBody()
      let child: Int
      if escaped {
        var key = DecodedBytes()
        decodeString(from: keyStart, to: keyEnd, into: &key)
        child = key.bytes.withUnsafeBufferPointer { key in
          guard let start = key.baseAddress else {
            return trie.child(of: node, key: base, count: 0)
          }
          return trie.child(of: node, key: start, count: key.count)
        }
      } else {
        child = trie.child(
          of: node, key: base + keyStart, count: keyEnd - keyStart, readable: end - keyStart)
      }
      skipWhitespace()
      guard pos < end && base[pos] == UInt8(ascii: ":") else { throw .invalid }
      pos += 1
      skipWhitespace()
      guard pos < end else { throw .invalid }
      if child < 0 {
        try skipValue(depth: depth)
      } else {
        try parseMapped(node: child, depth: depth, trie: trie, fields: &fields)
      }
      skipWhitespace()
      guard pos < end else { throw .invalid }
      let byte = base[pos]
      pos += 1
      if byte == UInt8(ascii: "}") { return }
      guard byte == UInt8(ascii: ",") else { throw .invalid }
      skipWhitespace()
      guard pos < end else { throw .invalid }
    }
  }

  /// Parses the value at `pos` whose key led to trie node `node`.
  private mutating func parseMapped(
    node: Int, depth: Int, trie: JSONKeyTrie, fields: inout RecordFields
  ) throws(JSONScanError) {
    let info = trie.nodes[node]
    fields.clear(mask: info.subtreeMask)
    let first = base[pos]
    switch first {
    case UInt8(ascii: "{") where info.edgeCount > 0:
      try parseObject(node: node, depth: depth + 1, trie: trie, fields: &fields)
    case UInt8(ascii: "[") where info.selectorCount > 0:
      try parseSelectedArray(node: node, depth: depth + 1, trie: trie, fields: &fields)
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      try skipValue(depth: depth)
    case UInt8(ascii: "\""):
      pos += 1
      let start = pos
      let (close, escaped) = try skipStringBody()
      guard info.fieldMask != 0 else { return }
      if escaped {
        let slot = info.fieldMask.trailingZeroBitCount
        fields.beginSlot()
        decodeString(from: start, to: close, into: &fields)
        fields.end(slot: slot)
        JSONScanner.copy(slot, toOthersIn: info.fieldMask, in: &fields)
      } else {
        fields.set(
          mask: info.fieldMask, UnsafeBufferPointer(start: base + start, count: close - start))
      }
    default:
      let start = pos
      if first == UInt8(ascii: "t") || first == UInt8(ascii: "f") || first == UInt8(ascii: "n") {
        try skipLiteral()
        if first == UInt8(ascii: "n") { return }
      } else {
        try skipNumber()
      }
      guard info.fieldMask != 0 else { return }
      fields.set(mask: info.fieldMask, UnsafeBufferPointer(start: base + start, count: pos - start))
    }
  }

  /// Gives the other slots of `mask` (several fields mapped to one path) `slot`'s value.
  private static func copy(_ slot: Int, toOthersIn mask: UInt32, in fields: inout RecordFields) {
    var others = mask & ~(1 << UInt32(slot))
    while others != 0 {
      fields.alias(slot: slot, to: others.trailingZeroBitCount)
      others &= others - 1
    }
  }
}
