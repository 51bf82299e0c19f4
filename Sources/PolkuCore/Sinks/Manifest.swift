/// `manifest.json`: the run's provenance — inputs, outputs with checksums, timings.
public struct Manifest: Codable, Sendable {
  public struct Output: Codable, Sendable, Equatable {
    public var file: String
    public var rows: Int
    public var bytes: Int
    public var sha256: String
  }

  public struct PipelineInfo: Codable, Sendable {
    public var path: String
    public var name: String
    public var sha256: String
  }

  /// What a run did to its `--state` folder.
  public struct StateInfo: Codable, Sendable {
    public var path: String
    /// All inputs had been folded before: the state was left as it was.
    public var alreadyFolded: Bool
    public var sessionsFolded: Int
    public var anonymousSessions: Int
    public var newCustomers: Int

    enum CodingKeys: String, CodingKey {
      case path
      case alreadyFolded = "already_folded"
      case sessionsFolded = "sessions_folded"
      case anonymousSessions = "anonymous_sessions"
      case newCustomers = "new_customers"
    }
  }

  public var schemaVersion = 1
  public var polkuVersion: String
  public var startedAt: String
  public var finishedAt: String
  public var wallSeconds: Double
  public var threads: Int
  public var pipeline: PipelineInfo
  public var inputs: [InputStatus]
  public var outputs: [Output]
  /// Milliseconds per stage.
  public var stagesMs: [String: Int]
  /// Peak resident memory (MiB) of the process at the end of each stage.
  public var peakMemoryMiB: [String: Int]
  public var warnings: [String]
  public var state: StateInfo?

  enum CodingKeys: String, CodingKey {
    case schemaVersion = "schema_version"
    case polkuVersion = "polku_version"
    case startedAt = "started_at"
    case finishedAt = "finished_at"
    case wallSeconds = "wall_seconds"
    case threads, pipeline, inputs, outputs
    case stagesMs = "stages_ms"
    case peakMemoryMiB = "peak_memory_mib"
    case warnings, state
  }
}
