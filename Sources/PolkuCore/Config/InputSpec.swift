/// One kind of input file in a pipeline: its format and how its fields map onto events.
///
/// A pipeline may read several kinds at once (web events as JSON Lines, call-centre
/// contacts as CSV) so every channel joins one journey. Each input file is read with the
/// first input whose `files` pattern matches its name.
public struct InputSpec: Codable, Sendable, Equatable {
  /// The line formats polku reads.
  public enum Format: String, Codable, Sendable, CaseIterable {
    case jsonl
    case accessLog = "access_log"
    case csv
    case tsv
  }

  /// How an access log names its visitors.
  public enum AccessLogVisitorRule: String, Codable, Sendable, CaseIterable {
    case host
    case hostUserAgent = "host_user_agent"
    case cookie
  }

  /// A label for logs and the manifest (default: the format).
  public var name: String
  public var format: Format
  /// A glob on the file's base name (`*.csv.gz`); nil matches every file.
  public var files: String?
  /// Field → source: a dotted JSON path (jsonl) or a header column name (csv/tsv).
  /// Not used by access logs, whose layout is fixed.
  public var fields: [String: String]
  /// How timestamps are written; `auto` tells ISO 8601, epoch s/ms and CLF apart.
  public var timestampFormat: String
  /// The channel of events that have no channel field (`web`, `call_center`, …).
  public var channel: String
  /// Access logs: which visitor key to use.
  public var visitor: AccessLogVisitorRule
  /// Access logs with `visitor: cookie`: the cookie's name in the trailing field.
  public var cookie: String

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, format, files, fields
    case timestampFormat = "timestamp_format"
    case channel, visitor, cookie
  }

  public init(format: Format, fields: [String: String] = [:]) {
    self.name = format.rawValue
    self.format = format
    self.files = nil
    self.fields = fields.isEmpty ? InputSpec.defaultFields(format) : fields
    self.timestampFormat = "auto"
    self.channel = "web"
    self.visitor = .cookie
    self.cookie = "vid"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    format = try c.decode(Format.self, forKey: .format)
    name = try c.decodeIfPresent(String.self, forKey: .name) ?? format.rawValue
    files = try c.decodeIfPresent(String.self, forKey: .files)
    fields =
      try c.decodeIfPresent([String: String].self, forKey: .fields)
      ?? InputSpec.defaultFields(format)
    timestampFormat = try c.decodeIfPresent(String.self, forKey: .timestampFormat) ?? "auto"
    channel = try c.decodeIfPresent(String.self, forKey: .channel) ?? "web"
    visitor = try c.decodeIfPresent(AccessLogVisitorRule.self, forKey: .visitor) ?? .cookie
    cookie = try c.decodeIfPresent(String.self, forKey: .cookie) ?? "vid"
  }

  /// The mapping used when a pipeline gives none: Segment's spec for JSON Lines, the
  /// canonical names for CSV.
  public static func defaultFields(_ format: Format) -> [String: String] {
    switch format {
    case .jsonl:
      [
        "timestamp": "timestamp", "anonymous_id": "anonymousId", "user_id": "userId",
        "type": "type", "event": "event", "page": "context.page.path",
        "referrer": "context.page.referrer", "source": "context.campaign.source",
        "message_id": "messageId", "channel": "channel", "user_agent": "context.userAgent",
      ]
    case .csv, .tsv:
      Dictionary(uniqueKeysWithValues: Field.allCases.map { ($0.configKey, $0.configKey) })
    case .accessLog:
      [:]
    }
  }

  /// The field mapping with keys resolved to ``Field``s; unknown keys are left out (and
  /// reported by validation).
  public var fieldMap: [Field: String] {
    var map: [Field: String] = [:]
    for (key, source) in fields {
      if let field = Field(configKey: key) { map[field] = source }
    }
    return map
  }
}
