/// Which accepted events are dropped before sessionising (counted, not quarantined).
public struct FilterSpec: Codable, Sendable, Equatable {
  /// Case-insensitive substrings of the user agent that mark a bot.
  public var botUserAgents: [String] = FilterSpec.defaultBots
  /// Regexes on the raw page path (before normalisation) of static assets.
  public var excludePages: [String] = [
    #"\.(css|js|png|jpe?g|gif|svg|ico|woff2?|ttf|map)(\?|$)"#, #"^/static/"#,
  ]
  /// Event types (`identify`, `track`, …) or event names to drop.
  public var excludeEvents: [String] = []
  /// Access logs: drop responses with a status at or above this (0 keeps all).
  public var excludeStatusFrom: Int = 400

  public static let defaultBots = [
    "bot", "crawler", "spider", "slurp", "headless", "lighthouse", "curl/", "wget/",
    "python-requests", "monitor",
  ]

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case botUserAgents = "bot_user_agents"
    case excludePages = "exclude_pages"
    case excludeEvents = "exclude_events"
    case excludeStatusFrom = "exclude_status_from"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    botUserAgents = try c.decodeIfPresent([String].self, forKey: .botUserAgents) ?? botUserAgents
    excludePages = try c.decodeIfPresent([String].self, forKey: .excludePages) ?? excludePages
    excludeEvents = try c.decodeIfPresent([String].self, forKey: .excludeEvents) ?? excludeEvents
    excludeStatusFrom =
      try c.decodeIfPresent(Int.self, forKey: .excludeStatusFrom) ?? excludeStatusFrom
  }
}

/// How raw page paths become the page names sessions and paths use.
public struct PageSpec: Codable, Sendable, Equatable {
  /// A regex rewrite applied in order after the other rules.
  public struct Rewrite: Codable, Sendable, Equatable {
    public var pattern: String
    public var replacement: String

    public init(pattern: String, replacement: String) {
      self.pattern = pattern
      self.replacement = replacement
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case pattern, replacement }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
      pattern = try c.decode(String.self, forKey: .pattern)
      replacement = try c.decode(String.self, forKey: .replacement)
    }
  }

  /// Drop `?query` and `#fragment`.
  public var stripQuery = true
  /// Lower-case the path.
  public var lowercase = true
  /// Drop a trailing `/` (but keep the root `/`).
  public var stripTrailingSlash = true
  /// Full URLs (`https://host/path`) keep only their path.
  public var stripHost = true
  public var rewrites: [Rewrite] = []

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case stripQuery = "strip_query"
    case lowercase
    case stripTrailingSlash = "strip_trailing_slash"
    case stripHost = "strip_host"
    case rewrites
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    stripQuery = try c.decodeIfPresent(Bool.self, forKey: .stripQuery) ?? stripQuery
    lowercase = try c.decodeIfPresent(Bool.self, forKey: .lowercase) ?? lowercase
    stripTrailingSlash =
      try c.decodeIfPresent(Bool.self, forKey: .stripTrailingSlash) ?? stripTrailingSlash
    stripHost = try c.decodeIfPresent(Bool.self, forKey: .stripHost) ?? stripHost
    rewrites = try c.decodeIfPresent([Rewrite].self, forKey: .rewrites) ?? rewrites
  }
}

/// Data-quality limits.
public struct QualitySpec: Codable, Sendable, Equatable {
  /// Fail the run (exit 65) when rejected lines exceed this share of lines read.
  public var maxBadRowRatio = 0.01
  /// Lines longer than this are rejected as `line_too_long`.
  public var maxLineBytes = 1 << 20
  /// How much of a rejected line is kept in `bad_rows.jsonl`.
  public var badRowBytes = 1024

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case maxBadRowRatio = "max_bad_row_ratio"
    case maxLineBytes = "max_line_bytes"
    case badRowBytes = "bad_row_bytes"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    maxBadRowRatio = try c.decodeIfPresent(Double.self, forKey: .maxBadRowRatio) ?? maxBadRowRatio
    maxLineBytes = try c.decodeIfPresent(Int.self, forKey: .maxLineBytes) ?? maxLineBytes
    badRowBytes = try c.decodeIfPresent(Int.self, forKey: .badRowBytes) ?? badRowBytes
  }
}
