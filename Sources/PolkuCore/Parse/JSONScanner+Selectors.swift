extension JSONScanner {
  /// Parses the array at `pos` (at depth `depth`) under trie node `node`, which has
  /// selectors (`name[member=value]`).
  ///
  /// Each element is validated once; an object element whose string member matches a
  /// selector (members in any order; when a member repeats, its last occurrence counts) is
  /// then read a second time from its start, with its keys looked up under the selector's
  /// node. A later matching element replaces what an earlier one provided. Elements that are
  /// not objects, and nested arrays, are skipped. Nothing is allocated unless a member name
  /// or value has escapes.
  mutating func parseSelectedArray(
    node: Int, depth: Int, trie: JSONKeyTrie, fields: inout RecordFields
  ) throws(JSONScanError) {
    guard depth <= JSONScanner.maxDepth else { throw .tooDeep }
    let info = trie.nodes[node]
    let firstSelector = Int(info.firstSelector)
    let selectorRange = firstSelector..<(firstSelector + Int(info.selectorCount))
    pos += 1
    skipWhitespace()
    guard pos < end else { throw .invalid }
    if base[pos] == UInt8(ascii: "]") {
      pos += 1
      return
    }
    while true {
      if base[pos] == UInt8(ascii: "{") {
        let elementStart = pos
        var matched = try scanElement(depth: depth + 1, trie: trie, selectors: selectorRange)
        if matched != 0 {
          let after = pos
          while matched != 0 {
            let selector = trie.selectors[firstSelector + matched.trailingZeroBitCount]
            let child = Int(selector.child)
            fields.clear(mask: trie.nodes[child].subtreeMask)
            pos = elementStart
            try parseObject(node: child, depth: depth + 1, trie: trie, fields: &fields)
            matched &= matched &- 1
          }
          pos = after
        }
      } else {
        try skipValue(depth: depth)
      }
      skipWhitespace()
      guard pos < end else { throw .invalid }
      let byte = base[pos]
      pos += 1
      if byte == UInt8(ascii: "]") { return }
      guard byte == UInt8(ascii: ",") else { throw .invalid }
      skipWhitespace()
      guard pos < end else { throw .invalid }
    }
  }

  /// Validates and skips the object at `pos` (at depth `depth`); returns a bit per selector
  /// of `selectors` (relative to its first) whose member has the selector's value.
  private mutating func scanElement(
    depth: Int, trie: JSONKeyTrie, selectors: Range<Int>
  ) throws(JSONScanError) -> UInt64 {
    guard depth <= JSONScanner.maxDepth else { throw .tooDeep }
    var matched: UInt64 = 0
    pos += 1
    skipWhitespace()
    guard pos < end else { throw .invalid }
    if base[pos] == UInt8(ascii: "}") {
      pos += 1
      return 0
    }
    while true {
      guard base[pos] == UInt8(ascii: "\"") else { throw .invalid }
      pos += 1
      let keyStart = pos
      let (keyEnd, keyEscaped) = try skipStringBody()
      skipWhitespace()
      guard pos < end && base[pos] == UInt8(ascii: ":") else { throw .invalid }
      pos += 1
      skipWhitespace()
      guard pos < end else { throw .invalid }
      let valueStart = pos + 1
      let isString = base[pos] == UInt8(ascii: "\"")
      var valueEscaped = false
      var valueEnd = valueStart
      if isString {
        pos += 1
        (valueEnd, valueEscaped) = try skipStringBody()
      } else {
        try skipValue(depth: depth)
      }
      for index in selectors where index - selectors.lowerBound < 64 {
        let selector = trie.selectors[index]
        guard
          equal(
            trie, selector.memberStart, selector.memberLength, keyStart, keyEnd, keyEscaped)
        else { continue }
        let bit: UInt64 = 1 << UInt64(index - selectors.lowerBound)
        matched &= ~bit
        if isString
          && equal(
            trie, selector.valueStart, selector.valueLength, valueStart, valueEnd, valueEscaped)
        {
          matched |= bit
        }
      }
      skipWhitespace()
      guard pos < end else { throw .invalid }
      let byte = base[pos]
      pos += 1
      if byte == UInt8(ascii: "}") { return matched }
      guard byte == UInt8(ascii: ",") else { throw .invalid }
      skipWhitespace()
      guard pos < end else { throw .invalid }
    }
  }

  /// Whether the string body `start..<close` (decoded when `escaped`) equals the trie's
  /// stored bytes.
  private func equal(
    _ trie: JSONKeyTrie, _ stored: Int32, _ length: Int32, _ start: Int, _ close: Int,
    _ escaped: Bool
  ) -> Bool {
    guard escaped else {
      return trie.storedBytes(stored, length, equal: base + start, count: close - start)
    }
    var decoded = DecodedBytes()
    decodeString(from: start, to: close, into: &decoded)
    return decoded.bytes.withUnsafeBufferPointer { bytes in
      guard let first = bytes.baseAddress else { return length == 0 }
      return trie.storedBytes(stored, length, equal: first, count: bytes.count)
    }
  }
}
