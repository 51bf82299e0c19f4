/// One input file as the manifest reports it.
public struct InputStatus: Sendable, Codable, Equatable {
  public var path: String
  public var input: String
  public var bytes: Int
  public var status: Status
  public var lines: Int
  public var damage: String?

  /// What became of an input file; the spelling is the manifest's.
  public enum Status: String, Codable, Sendable {
    /// Read to its end.
    case ok
    /// Truncated or corrupt: every complete line before the damage was kept.
    case damaged
    /// No input of the pipeline matches its name: not read.
    case skipped
  }
}
