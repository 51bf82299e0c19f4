/// A field's source in a JSON Lines input: one or more dotted paths, the first present wins.
///
/// Syntax (documented in `Pipelines/README.md`):
/// - `context.page.path`: keys of nested objects, split on `.` (empty components are the
///   key `""`, as they always were);
/// - `event_params[key=page_location].value.string_value`: a component `name[member=value]`
///   selects, from the array under `name`, the object element whose string member `member`
///   equals `value` (the last such element wins); the value runs to the first `]` and may
///   contain `.`;
/// - `a.b|c.d`: alternatives separated by `|` outside brackets; the first alternative that
///   is present in a line gives the value.
struct JSONFieldPath: Equatable, Sendable {
  /// One step from an object into one of its members.
  struct Step: Equatable, Sendable {
    /// The object key.
    var key: [UInt8]
    /// When set, the member is an array and the step selects its object element whose
    /// string member `member` equals `value`.
    var selector: (member: [UInt8], value: [UInt8])?

    static func == (lhs: Step, rhs: Step) -> Bool {
      lhs.key == rhs.key && lhs.selector?.member == rhs.selector?.member
        && lhs.selector?.value == rhs.selector?.value
    }
  }

  /// The alternatives in order of preference; each is a list of steps.
  var alternatives: [[Step]]

  /// Parses `text`; throws a message naming the problem (for `polku validate`).
  init(parsing text: String) throws(JSONFieldPathError) {
    var alternatives: [[Step]] = []
    for alternative in JSONFieldPath.splitOutsideBrackets(Array(text.utf8), on: UInt8(ascii: "|")) {
      if alternative.isEmpty && text.utf8.contains(UInt8(ascii: "|")) {
        throw JSONFieldPathError("empty alternative around `|`")
      }
      var steps: [Step] = []
      for component in JSONFieldPath.splitOutsideBrackets(alternative, on: UInt8(ascii: ".")) {
        steps.append(try JSONFieldPath.step(component))
      }
      alternatives.append(steps)
    }
    self.alternatives = alternatives
  }

  /// The path read as before selectors existed: split on `.`, every component a plain key
  /// (used when a path does not parse and validation was skipped).
  init(plain text: String) {
    alternatives = [
      text.split(separator: ".", omittingEmptySubsequences: false).map {
        Step(key: Array($0.utf8), selector: nil)
      }
    ]
  }

  /// Parses `text`, or reads it as a plain dotted path when it is malformed.
  static func lenient(_ text: String) -> JSONFieldPath {
    (try? JSONFieldPath(parsing: text)) ?? JSONFieldPath(plain: text)
  }

  private static func splitOutsideBrackets(_ bytes: [UInt8], on separator: UInt8) -> [[UInt8]] {
    var parts: [[UInt8]] = [[]]
    var inBrackets = false
    for byte in bytes {
      if byte == UInt8(ascii: "[") { inBrackets = true }
      if byte == UInt8(ascii: "]") { inBrackets = false }
      if byte == separator && !inBrackets {
        parts.append([])
      } else {
        parts[parts.count - 1].append(byte)
      }
    }
    return parts
  }

  private static func step(_ component: [UInt8]) throws(JSONFieldPathError) -> Step {
    guard let open = component.firstIndex(of: UInt8(ascii: "[")) else {
      if component.contains(UInt8(ascii: "]")) { throw JSONFieldPathError("`]` without `[`") }
      return Step(key: component, selector: nil)
    }
    let key = Array(component[..<open])
    guard let close = component[open...].firstIndex(of: UInt8(ascii: "]")) else {
      throw JSONFieldPathError("`[` without `]`")
    }
    guard close == component.count - 1 else {
      throw JSONFieldPathError("`]` must end a path component (use `.` after it)")
    }
    let inside = component[(open + 1)..<close]
    guard !inside.contains(UInt8(ascii: "[")) else { throw JSONFieldPathError("nested `[`") }
    guard let equals = inside.firstIndex(of: UInt8(ascii: "=")) else {
      throw JSONFieldPathError("a selector is written `[member=value]`")
    }
    let member = Array(inside[..<equals])
    let value = Array(inside[(equals + 1)...])
    guard !key.isEmpty else { throw JSONFieldPathError("a selector needs an array key before `[`") }
    guard !member.isEmpty else { throw JSONFieldPathError("empty member name in `[=…]`") }
    guard !value.isEmpty else { throw JSONFieldPathError("empty value in `[member=]`") }
    return Step(key: key, selector: (member, value))
  }
}

/// Why a JSON field path is malformed.
struct JSONFieldPathError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
