/// One session of the stitched JSONL + CSV view, for `sessions_truth.csv`.
public struct SessionTruthRow: Sendable, Equatable, Comparable {
  /// The stitched key: `u-<n>` or `a-<hex>`.
  public var key: String
  /// First and last event time, Unix milliseconds.
  public var startMs: Int64
  public var endMs: Int64
  /// Accepted events, identify calls included.
  public var events: Int
  /// Identify calls among them.
  public var identifyEvents: Int

  public static func < (lhs: SessionTruthRow, rhs: SessionTruthRow) -> Bool {
    (lhs.key, lhs.startMs) < (rhs.key, rhs.startMs)
  }

  /// The CSV header of `sessions_truth.csv`.
  public static let header = "visitor_key,start_ms,end_ms,events,identify_events\n"

  /// The CSV line of this row.
  public var csvLine: String {
    "\(key),\(startMs),\(endMs),\(events),\(identifyEvents)\n"
  }
}

/// One accepted event as the generator planned it, for tests that recompute the answers
/// with their own sessioniser (kept only with ``GeneratorSpec/keepTruthEvents``).
public struct TruthEvent: Sendable, Equatable {
  /// `jsonl`, `access` or `csv`.
  public var format: String
  /// Unix milliseconds as written (access logs: truncated to whole seconds).
  public var time: Int64
  /// The anonymous id or vid cookie, if any.
  public var anonymousId: String?
  /// The user id as written, junk included; nil when absent or JSON null.
  public var userId: String?
  /// The track event's name, if it is one.
  public var goal: String?
  public var isIdentify: Bool
}
