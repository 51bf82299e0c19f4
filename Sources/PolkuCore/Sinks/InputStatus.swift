/// One input file as the manifest reports it.
public struct InputStatus: Sendable, Codable, Equatable {
  public var path: String
  public var input: String
  public var bytes: Int
  /// `ok`, `damaged` (truncated or corrupt; complete lines before the damage kept) or
  /// `skipped` (no input in the pipeline matches its name).
  public var status: String
  public var lines: Int
  public var damage: String?
}
