/// Why a line was rejected: a stable snake_case code used in `bad_rows.jsonl`,
/// `summary.json` and metrics. Codes are part of the output contract: add, never rename.
public enum BadRowReason: String, CaseIterable, Sendable, Comparable {
  /// The line is not a JSON object, or the JSON is malformed.
  case invalidJSON = "invalid_json"
  /// JSON nested deeper than the parser's limit.
  case tooDeep = "json_too_deep"
  /// The line does not have the shape of an NCSA common/combined access-log line.
  case invalidAccessLog = "invalid_access_log"
  /// A CSV row whose quoting is broken, or whose field count differs from the header.
  case invalidCSV = "invalid_csv"
  /// No timestamp field.
  case missingTimestamp = "missing_timestamp"
  /// A timestamp that could not be parsed.
  case invalidTimestamp = "invalid_timestamp"
  /// A timestamp before 1970 or after 2100.
  case timestampOutOfRange = "timestamp_out_of_range"
  /// Neither an anonymous id nor a user id (nor a visitor cookie or host).
  case missingVisitor = "missing_visitor"
  /// A line longer than the configured maximum.
  case lineTooLong = "line_too_long"
  /// Bytes that are not valid UTF-8 in a field polku keeps.
  case invalidUTF8 = "invalid_utf8"
  /// A line with a NUL byte.
  case nulByte = "nul_byte"
  /// A page view without a page path.
  case missingPage = "missing_page"
  /// A track event or contact without an event name.
  case missingEvent = "missing_event"
  /// More than 63 distinct channels in one file.
  case tooManyChannels = "too_many_channels"

  public static func < (lhs: BadRowReason, rhs: BadRowReason) -> Bool {
    lhs.rawValue < rhs.rawValue
  }
}
