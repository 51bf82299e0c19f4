/// How events become sessions.
public struct SessionSpec: Codable, Sendable, Equatable {
  /// How a visitor is identified.
  public enum Identity: String, Codable, Sendable, CaseIterable {
    /// Key on the anonymous (device, cookie) id; events with only a user id key on it.
    case device
    /// Map every anonymous id seen with a user id to that user, retroactively.
    case stitched
  }

  /// A new session starts when the gap to the previous event is greater than this.
  public var gapSeconds: Int = 1800
  public var identity: Identity = .device
  /// Start a new session when the campaign source changes (a new campaign visit).
  public var splitOnSourceChange: Bool = false
  /// Close a session that has lasted this long, even without a gap (0 = no limit).
  public var maxDurationSeconds: Int = 0
  /// Id values that mean "no id" and never stitch (compared case-insensitively).
  public var junkIds: [String] = ["", "null", "undefined", "anonymous", "0", "none", "nil", "-"]

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case gapSeconds = "gap_seconds"
    case identity
    case splitOnSourceChange = "split_on_source_change"
    case maxDurationSeconds = "max_duration_seconds"
    case junkIds = "junk_ids"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    gapSeconds = try c.decodeIfPresent(Int.self, forKey: .gapSeconds) ?? gapSeconds
    identity = try c.decodeIfPresent(Identity.self, forKey: .identity) ?? identity
    splitOnSourceChange =
      try c.decodeIfPresent(Bool.self, forKey: .splitOnSourceChange) ?? splitOnSourceChange
    maxDurationSeconds =
      try c.decodeIfPresent(Int.self, forKey: .maxDurationSeconds) ?? maxDurationSeconds
    junkIds = try c.decodeIfPresent([String].self, forKey: .junkIds) ?? junkIds
  }
}
