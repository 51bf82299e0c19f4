import PolkuCore

/// What was written to one file (or a set of files), by kind of line.
///
/// Every record falls in exactly one of: malformed (by reason), duplicate, bot, asset,
/// accepted. `records` = the sum of those; `lines` counts physical lines (a CSV record
/// with a quoted newline is two lines; a CSV header is a line but not a record).
public struct LineCounts: Sendable, Equatable {
  public var lines = 0
  public var records = 0
  /// Malformed records by the reason polku should report.
  public var malformed: [BadRowReason: Int] = [:]
  /// Re-sent copies of an earlier record (same message id); the first copy is accepted.
  public var duplicates = 0
  public var botEvents = 0
  public var assetEvents = 0
  /// Records that enter sessionising.
  public var accepted = 0
  /// Accepted records with a junk user id (`"null"`, `"0"`, …).
  public var junkUserIds = 0

  public init() {}

  /// All malformed records.
  public var malformedTotal: Int { malformed.values.reduce(0, +) }

  /// Adds `other` into this count.
  public mutating func add(_ other: LineCounts) {
    lines += other.lines
    records += other.records
    for (reason, count) in other.malformed { malformed[reason, default: 0] += count }
    duplicates += other.duplicates
    botEvents += other.botEvents
    assetEvents += other.assetEvents
    accepted += other.accepted
    junkUserIds += other.junkUserIds
  }
}

/// The kind of a record handed to an ``OutputFiles`` set, for counting.
enum RecordKind {
  case accepted, duplicate, bot, asset
  case malformed(BadRowReason)
}
