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
  public var warnings: [String]

  enum CodingKeys: String, CodingKey {
    case schemaVersion = "schema_version"
    case polkuVersion = "polku_version"
    case startedAt = "started_at"
    case finishedAt = "finished_at"
    case wallSeconds = "wall_seconds"
    case threads, pipeline, inputs, outputs
    case stagesMs = "stages_ms"
    case warnings
  }
}
