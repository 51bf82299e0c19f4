#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A pipeline file: what to read and how to turn it into sessions, paths and churn.
///
/// Pipeline files are strict JSON with `"version": 1`; every key is snake_case with its
/// unit in the name, unknown keys are errors, and every option has a default documented
/// in `Pipelines/README.md`.
public struct PipelineSpec: Codable, Sendable, Equatable {
  public var version: Int = 1
  public var name: String = "pipeline"
  /// Free text for people; polku ignores it.
  public var description: String = ""
  public var inputs: [InputSpec] = []
  public var filters = FilterSpec()
  public var pages = PageSpec()
  public var sessions = SessionSpec()
  public var goals: [GoalSpec] = []
  public var quality = QualitySpec()
  public var paths = PathsSpec()
  public var churn = ChurnSpec()
  public var partitions = PartitionSpec()
  public var outputs = OutputsSpec()
  public var report = ReportSpec()

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case version, name, description, inputs, filters, pages, sessions, goals, quality, paths
    case churn, partitions, outputs, report
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    version = try c.decode(Int.self, forKey: .version)
    name = try c.decodeIfPresent(String.self, forKey: .name) ?? name
    description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
    inputs = try c.decode([InputSpec].self, forKey: .inputs)
    filters = try c.decodeIfPresent(FilterSpec.self, forKey: .filters) ?? filters
    pages = try c.decodeIfPresent(PageSpec.self, forKey: .pages) ?? pages
    sessions = try c.decodeIfPresent(SessionSpec.self, forKey: .sessions) ?? sessions
    goals = try c.decodeIfPresent([GoalSpec].self, forKey: .goals) ?? goals
    quality = try c.decodeIfPresent(QualitySpec.self, forKey: .quality) ?? quality
    paths = try c.decodeIfPresent(PathsSpec.self, forKey: .paths) ?? paths
    churn = try c.decodeIfPresent(ChurnSpec.self, forKey: .churn) ?? churn
    partitions = try c.decodeIfPresent(PartitionSpec.self, forKey: .partitions) ?? partitions
    outputs = try c.decodeIfPresent(OutputsSpec.self, forKey: .outputs) ?? outputs
    report = try c.decodeIfPresent(ReportSpec.self, forKey: .report) ?? report
  }
}

/// A pipeline file read from disk, decoded and checked.
public struct LoadedPipeline: Sendable {
  public var path: String
  public var spec: PipelineSpec
  /// SHA-256 of the file's bytes, hex, for the manifest.
  public var sha256: String

  /// Reads, decodes and validates `path`.
  ///
  /// Throws ``PolkuError`` with code `.config` listing every problem (one per line, each
  /// with its key path), or `.noInput`/`.io` when the file cannot be read.
  public static func load(path: String) throws -> LoadedPipeline {
    let bytes = try FileBytes.read(path)
    let problems: [String]
    var spec = PipelineSpec()
    do {
      spec = try JSONDecoder().decode(PipelineSpec.self, from: Data(bytes))
      problems = spec.validate()
    } catch let error as DecodingError {
      problems = [describe(error)]
    } catch let error as any PipelineKeyError {
      problems = [error.description]
    } catch {
      problems = ["not valid JSON: \(error)"]
    }
    if !problems.isEmpty {
      // One problem per line: each part is escaped, so the line feeds are only these.
      throw PolkuError(
        .config,
        "\(VisibleText.escaped(path)): \(problems.count) problem(s):\n"
          + problems.map { "  x \(VisibleText.escaped($0))" }.joined(separator: "\n"))
    }
    return LoadedPipeline(path: path, spec: spec, sha256: SHA256.hex(bytes))
  }

  static func describe(_ error: DecodingError) -> String {
    switch error {
    case .keyNotFound(let key, let context):
      let path = dottedPath(context.codingPath + [key])
      return "\(path): required key is missing"
    case .typeMismatch(let type, let context):
      return "\(dottedPath(context.codingPath)): expected \(type)"
    case .valueNotFound(let type, let context):
      return "\(dottedPath(context.codingPath)): expected \(type), found null"
    case .dataCorrupted(let context):
      if let keyError = context.underlyingError as? any PipelineKeyError {
        return keyError.description
      }
      let detail = context.underlyingError.map { " (\($0))" } ?? ""
      return "\(dottedPath(context.codingPath)): \(context.debugDescription)\(detail)"
    @unknown default:
      return "\(error)"
    }
  }
}
