/// `report`: whether a run writes `report.html` beside its tables.
public struct ReportSpec: Codable, Sendable, Equatable {
  /// Write `report.html` (default true). `polku report OUT_DIR` builds one either way.
  public var enabled = true

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case enabled
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
  }
}
