/// A canonical event field that every input format maps its own columns onto.
///
/// Parsers fill these slots from a raw line; ingest then interns them into an ``Event``.
/// The raw values stay bytes: nothing on the hot path builds a `String` per field.
public enum Field: Int, CaseIterable, Sendable {
  case timestamp
  case anonymousId
  case userId
  case type
  case event
  case page
  case referrer
  case source
  case messageId
  case channel
  case userAgent
  case status

  /// The snake_case key that names this field in a pipeline file's `fields` mapping.
  public var configKey: String {
    switch self {
    case .timestamp: "timestamp"
    case .anonymousId: "anonymous_id"
    case .userId: "user_id"
    case .type: "type"
    case .event: "event"
    case .page: "page"
    case .referrer: "referrer"
    case .source: "source"
    case .messageId: "message_id"
    case .channel: "channel"
    case .userAgent: "user_agent"
    case .status: "status"
    }
  }

  /// Looks a field up by its pipeline-file key.
  public init?(configKey: String) {
    guard let field = Field.allCases.first(where: { $0.configKey == configKey }) else {
      return nil
    }
    self = field
  }
}
