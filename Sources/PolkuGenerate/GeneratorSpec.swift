/// The input formats the generator can write; one data set may hold all three.
public struct GeneratedFormats: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// Segment-style JSON Lines (`segment/events-<day>-<shard>.jsonl`), web and app.
  public static let jsonl = GeneratedFormats(rawValue: 1)
  /// NCSA combined access logs with a `"vid=<anonymous id>"` field (`access/…log`).
  public static let access = GeneratedFormats(rawValue: 2)
  /// Touchpoints CSV for non-web channels (`touchpoints/…csv`).
  public static let csv = GeneratedFormats(rawValue: 4)
  /// All three formats.
  public static let all: GeneratedFormats = [.jsonl, .access, .csv]

  /// Parses a comma-separated list such as `jsonl,access,csv`; nil on an unknown name.
  public init?(list: String) {
    var formats: GeneratedFormats = []
    for name in list.split(separator: ",") {
      switch name.trimmingSpaces {
      case "jsonl", "segment": formats.insert(.jsonl)
      case "access", "nginx": formats.insert(.access)
      case "csv", "touchpoints": formats.insert(.csv)
      default: return nil
      }
    }
    if formats.isEmpty { return nil }
    self = formats
  }

  /// The names in canonical order, as written to `expected.json`.
  public var names: [String] {
    var names: [String] = []
    if contains(.jsonl) { names.append("jsonl") }
    if contains(.access) { names.append("access") }
    if contains(.csv) { names.append("csv") }
    return names
  }
}

extension Substring {
  fileprivate var trimmingSpaces: Substring {
    var text = self
    while text.first == " " { text = text.dropFirst() }
    while text.last == " " { text = text.dropLast() }
    return text
  }
}

/// Everything that determines a generated data set: equal specs give equal bytes.
///
/// The world starts at ``startMs`` (default 2026-11-01T00:00:00Z) and lasts ``days``
/// days; every event falls inside it. Each day gets ``filesPerDay`` files per format and
/// events are spread over them at random, so one visitor's events land in several files.
public struct GeneratorSpec: Sendable, Equatable {
  /// Seeds every random choice.
  public var seed: UInt64 = 1
  /// People to simulate (bots come on top). Ignored when ``eventsTarget`` is set.
  public var visitors: Int = 300
  /// Length of the world in days (≥ 1).
  public var days: Int = 3
  /// Start of the world, Unix milliseconds, at a UTC midnight.
  public var startMs: Int64 = CivilTime.days(year: 2026, month: 11, day: 1) * CivilTime.msPerDay
  /// Which formats to write.
  public var formats: GeneratedFormats = .all
  /// Files per day and format (≥ 1).
  public var filesPerDay: Int = 2
  /// When set, people are added until this many real (non-noise) events were planned.
  public var eventsTarget: Int?
  /// Whether to write `sessions_truth.csv` (one row per stitched session; keeps every
  /// session in memory until the end).
  public var writeSessionsTruth = true
  /// Whether ``GenerationResult/truthEvents`` is filled (tests; small worlds only).
  public var keepTruthEvents = false

  public init() {}

  /// The end of the world (exclusive), Unix milliseconds.
  public var endMs: Int64 { startMs + Int64(days) * CivilTime.msPerDay }

  /// Problems with the spec, empty when it can be generated.
  public func validate() -> [String] {
    var issues: [String] = []
    if days < 1 || days > 3660 { issues.append("days: must be 1...3660, got \(days)") }
    if filesPerDay < 1 || filesPerDay > 256 {
      issues.append("files_per_day: must be 1...256, got \(filesPerDay)")
    }
    if eventsTarget == nil && visitors < 1 {
      issues.append("visitors: must be ≥ 1, got \(visitors)")
    }
    if let eventsTarget, eventsTarget < 1 {
      issues.append("events_target: must be ≥ 1, got \(eventsTarget)")
    }
    if startMs % CivilTime.msPerDay != 0 { issues.append("start: must be a UTC midnight") }
    let files = days * filesPerDay * formats.names.count
    if files > 8000 {
      issues.append("days × files_per_day × formats: at most 8000 files, got \(files)")
    }
    return issues
  }
}
