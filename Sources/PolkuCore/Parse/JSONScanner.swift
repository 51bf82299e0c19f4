import CPolkuKernels

/// Why a line is not acceptable JSON.
enum JSONScanError: Error {
  case invalid
  case tooDeep
}

/// A validating, single-pass JSON reader over one line's bytes.
///
/// It never builds a tree: values under keys the ``JSONKeyTrie`` does not mention are
/// checked and skipped (strings 16 bytes at a time, containers without recursion), and
/// values at mapped paths are copied or unescaped straight into ``RecordFields``.
/// Recursion happens only along trie paths, so stack use is bounded by the longest mapped
/// path, whatever the input's nesting.
struct JSONScanner {
  /// The deepest nesting accepted; the top-level object is depth 1.
  static let maxDepth = 64

  let base: UnsafePointer<UInt8>
  let end: Int
  var pos = 0

  init(base: UnsafePointer<UInt8>, count: Int) {
    self.base = base
    self.end = count
  }

  // MARK: - Whitespace, literals, numbers

  @inline(__always)
  mutating func skipWhitespace() {
    while pos < end {
      let byte = base[pos]
      guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
      pos += 1
    }
  }

  /// Whether only JSON whitespace remains.
  mutating func atEndAfterWhitespace() -> Bool {
    skipWhitespace()
    return pos == end
  }

  /// Skips `true`, `false` or `null` at `pos`; returns the literal's first byte.
  @inline(__always)
  mutating func skipLiteral() throws(JSONScanError) {
    let first = base[pos]
    let word: StaticString
    switch first {
    case UInt8(ascii: "t"): word = "true"
    case UInt8(ascii: "f"): word = "false"
    case UInt8(ascii: "n"): word = "null"
    default: throw .invalid
    }
    let count = word.utf8CodeUnitCount
    guard pos + count <= end else { throw .invalid }
    let expected = word.utf8Start
    for offset in 1..<count where base[pos + offset] != expected[offset] { throw .invalid }
    pos += count
  }

  /// Skips a number in the JSON grammar: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
  mutating func skipNumber() throws(JSONScanError) {
    if pos < end && base[pos] == UInt8(ascii: "-") { pos += 1 }
    guard pos < end else { throw .invalid }
    if base[pos] == UInt8(ascii: "0") {
      pos += 1
    } else {
      guard isDigit(base[pos]) else { throw .invalid }
      skipDigits()
    }
    if pos < end && base[pos] == UInt8(ascii: ".") {
      pos += 1
      guard pos < end && isDigit(base[pos]) else { throw .invalid }
      skipDigits()
    }
    if pos < end && base[pos] | 0x20 == UInt8(ascii: "e") {
      pos += 1
      if pos < end && (base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-")) {
        pos += 1
      }
      guard pos < end && isDigit(base[pos]) else { throw .invalid }
      skipDigits()
    }
  }

  @inline(__always)
  private mutating func skipDigits() {
    while pos < end && isDigit(base[pos]) { pos += 1 }
  }

  @inline(__always)
  private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

  // MARK: - Strings

  /// Skips the rest of a string whose opening quote is just before `pos`.
  ///
  /// Returns the index of the closing quote (`pos` ends after it) and whether the string
  /// has escapes. Rejects raw control bytes and malformed escapes; bytes >= 0x80 pass
  /// unchecked (UTF-8 validity is the caller's concern, see ``UTF8Check``).
  @inline(__always)
  mutating func skipStringBody() throws(JSONScanError) -> (close: Int, escaped: Bool) {
    var escaped = false
    while true {
      pos = polku_json_string_stop(base, pos, end)
      guard pos < end else { throw .invalid }
      let byte = base[pos]
      if byte == UInt8(ascii: "\"") {
        pos += 1
        return (pos - 1, escaped)
      }
      if byte == UInt8(ascii: "\\") {
        escaped = true
        try skipEscape()
      } else {
        throw .invalid
      }
    }
  }

  /// Validates the escape at `pos` (a backslash) and skips it.
  private mutating func skipEscape() throws(JSONScanError) {
    guard pos + 1 < end else { throw .invalid }
    switch base[pos + 1] {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
      UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
      pos += 2
    case UInt8(ascii: "u"):
      guard pos + 6 <= end, JSONScanner.hex4(base + pos + 2) != nil else { throw .invalid }
      pos += 6
    default:
      throw .invalid
    }
  }

  /// Four hex digits as a number, or nil.
  @inline(__always)
  static func hex4(_ bytes: UnsafePointer<UInt8>) -> UInt32? {
    var value: UInt32 = 0
    for offset in 0..<4 {
      let byte = bytes[offset]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }

  // MARK: - Skipping whole values

  /// Skips and validates one value starting at `pos` (after whitespace). `depth` is the
  /// depth of the container that holds the value.
  mutating func skipValue(depth: Int) throws(JSONScanError) {
    guard pos < end else { throw .invalid }
    switch base[pos] {
    case UInt8(ascii: "\""):
      pos += 1
      _ = try skipStringBody()
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      try skipContainer(depth: depth)
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      try skipLiteral()
    default:
      try skipNumber()
    }
  }

  /// Skips a scalar (string, number, literal) at `pos`.
  @inline(__always)
  private mutating func skipScalar() throws(JSONScanError) {
    switch base[pos] {
    case UInt8(ascii: "\""):
      pos += 1
      _ = try skipStringBody()
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      try skipLiteral()
    default:
      try skipNumber()
    }
  }

  /// Skips `"key"` `:` and the whitespace after it; `pos` is at the key's quote.
  @inline(__always)
  private mutating func skipKeyAndColon() throws(JSONScanError) {
    guard pos < end && base[pos] == UInt8(ascii: "\"") else { throw .invalid }
    pos += 1
    _ = try skipStringBody()
    skipWhitespace()
    guard pos < end && base[pos] == UInt8(ascii: ":") else { throw .invalid }
    pos += 1
    skipWhitespace()
    guard pos < end else { throw .invalid }
  }

  /// Skips an object or array at `pos` without recursion: a 64-bit stack remembers which
  /// open containers are arrays (nesting is capped at ``maxDepth``).
  private mutating func skipContainer(depth outerDepth: Int) throws(JSONScanError) {
    var kinds: UInt64 = 0  // bit 0: the innermost open container is an array
    var depth = outerDepth
    var level = 0
    while true {
      // `pos` is at the start of a value.
      let opener = base[pos]
      if opener == UInt8(ascii: "{") || opener == UInt8(ascii: "[") {
        depth += 1
        guard depth <= JSONScanner.maxDepth else { throw .tooDeep }
        let isArray = opener == UInt8(ascii: "[")
        level += 1
        kinds = kinds << 1 | (isArray ? 1 : 0)
        pos += 1
        skipWhitespace()
        guard pos < end else { throw .invalid }
        if base[pos] == (isArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
          pos += 1
          level -= 1
          depth -= 1
          kinds >>= 1
          if level == 0 { return }
        } else {
          if !isArray { try skipKeyAndColon() }
          continue
        }
      } else {
        try skipScalar()
      }
      // After a value inside the container `kinds & 1` describes.
      while true {
        skipWhitespace()
        guard pos < end else { throw .invalid }
        let byte = base[pos]
        let inArray = kinds & 1 == 1
        pos += 1
        if byte == UInt8(ascii: ",") {
          skipWhitespace()
          if !inArray { try skipKeyAndColon() }
          guard pos < end else { throw .invalid }
          break
        }
        guard byte == (inArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) else { throw .invalid }
        level -= 1
        depth -= 1
        kinds >>= 1
        if level == 0 { return }
      }
    }
  }
}
