/// What ingest saw, per file and in total; merges by addition.
public struct IngestCounters: Mergeable, Equatable {
  /// Lines read (every line, including headers and blank lines).
  public var linesRead = 0
  /// Events that passed parsing and filters.
  public var accepted = 0
  /// Rejected lines by reason.
  public var rejected: [BadRowReason: Int] = [:]
  /// Dropped by filters, by reason.
  public var filtered: [FilterReason: Int] = [:]
  /// Lines that carry no event (CSV header, blank line).
  public var skipped = 0
  /// Id values ignored as junk (`null`, `undefined`, …).
  public var junkIds = 0

  public init() {}

  /// The number of rejected lines.
  public var rejectedTotal: Int { rejected.values.reduce(0, +) }

  public mutating func merge(_ other: consuming IngestCounters) {
    linesRead += other.linesRead
    accepted += other.accepted
    rejected.merge(other.rejected, uniquingKeysWith: +)
    filtered.merge(other.filtered, uniquingKeysWith: +)
    skipped += other.skipped
    junkIds += other.junkIds
  }
}
