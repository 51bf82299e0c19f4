import Synchronization

/// What page normalisation made of each raw page, shared by every file of a run.
///
/// Normalising a raw page runs the pipeline's regexes (`exclude_pages`, then the
/// rewrites): Swift's `Regex` takes ~20 µs a page with the shipped rules. Each ingest
/// worker still keeps its own per-file ids, but a raw page seen in one file is usually in
/// the next too, so the regexes run once per distinct raw page per run instead of once per
/// file (20 M-event bench: ~170 K runs, 7 % of the CPU, down to ~25 K). The verdict is a
/// pure function of the raw bytes and the pipeline, so sharing it changes no output.
final class PageNameCache: Sendable {
  enum Verdict: Sendable {
    /// Matched an `exclude_pages` rule.
    case excluded
    /// Not valid UTF-8.
    case invalid
    /// The normalised name.
    case name([UInt8])
  }

  private let verdicts = Mutex<[[UInt8]: Verdict]>([:])

  init() {}

  /// The verdict for `raw`, from `compute` the first time any file asks.
  ///
  /// `compute` runs outside the lock, so a slow regex never holds up another worker; two
  /// workers meeting a new page at once both compute it, with the same result.
  func verdict(_ raw: UnsafeBufferPointer<UInt8>, compute: () -> Verdict) -> Verdict {
    let key = Array(raw)
    if let known = verdicts.withLock({ $0[key] }) { return known }
    let verdict = compute()
    verdicts.withLock { $0[key] = verdict }
    return verdict
  }
}
