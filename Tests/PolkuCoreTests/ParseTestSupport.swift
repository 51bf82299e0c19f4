@testable import PolkuCore

/// Runs line parsers on test input given as `String`s or raw bytes.
enum ParseHarness {
  /// Parses `bytes` with a fresh ``RecordFields``; returns the outcome and the fields.
  static func run<P: LineParser>(_ parser: inout P, bytes: [UInt8]) -> (ParseOutcome, RecordFields)
  {
    var fields = RecordFields()
    fields.reset()
    let outcome = bytes.withUnsafeBufferPointer { line in
      let outcome = parser.parse(line, into: &fields)
      fields.keepValues()  // the values point into `bytes` until copied
      return outcome
    }
    return (outcome, fields)
  }

  /// Parses the UTF-8 of `line`.
  static func run<P: LineParser>(_ parser: inout P, _ line: String) -> (ParseOutcome, RecordFields)
  {
    run(&parser, bytes: Array(line.utf8))
  }

  /// Every field's value as a string, keyed by config key (absent fields left out).
  static func values(_ fields: RecordFields) -> [String: String] {
    var result: [String: String] = [:]
    for field in Field.allCases {
      if let value = fields.string(field) { result[field.configKey] = value }
    }
    return result
  }

  /// Parses a timestamp given as a string.
  static func timestamp(_ text: String, _ format: TimestampFormat) -> TimestampResult {
    Array(text.utf8).withUnsafeBufferPointer { TimestampParser.parse($0, format: format) }
  }
}
