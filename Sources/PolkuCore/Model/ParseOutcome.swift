/// What a ``LineParser`` made of one line.
public enum ParseOutcome: Equatable, Sendable {
  /// The fields are filled in.
  case record
  /// The line carries no event (a CSV header, a blank line, a comment); not an error.
  case skip
  /// The line is the start of a record that continues on the next line (a quoted CSV
  /// field with a newline inside). The caller joins the next line with `\n` and calls
  /// the parser again with the joined bytes.
  case needsMore
  /// The line is rejected; it goes to the bad-rows file with this reason.
  case bad(BadRowReason)
}

/// Turns one input line into ``RecordFields``.
///
/// A parser instance reads one file from its first line to its last, in order, on one
/// thread; it may keep state between lines (a CSV header). It must never trap on any input.
public protocol LineParser {
  /// Parses `line` (without its `\n` or `\r\n`) into `fields`, which the caller has reset.
  mutating func parse(_ line: UnsafeBufferPointer<UInt8>, into fields: inout RecordFields)
    -> ParseOutcome
}
