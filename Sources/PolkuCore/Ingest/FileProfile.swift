#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What one read of an input file tells about every `--date` night its events miss: the
/// time range of its records, and what a read under a window outside that range would
/// produce (no event; the lines without a valid time rejected or skipped as always; every
/// other record filtered as `outside_date`).
///
/// A backfill (``FileProfiles``) reads a file once and, on the nights its range does not
/// touch, takes this instead of reading it again: the same counters, bad rows, status and
/// tables, so the night's outputs are the same bytes.
struct FileProfile: Sendable {
  /// The file as it was read (a changed file is read again).
  var stamp: FileStamp
  /// The earliest and latest valid record time (ms); `earliest > latest` when none.
  var earliest: Int64
  var latest: Int64
  /// The counters of a night outside the range.
  var counters: IngestCounters
  /// The bad rows of a night outside the range: those rejected before their time was
  /// known, in line order.
  var badRows: [UInt8]
  var report: ReadReport?
  var warnings: [String]

  /// Whether some record of the file falls on `window`'s day.
  func touches(_ window: DayWindow) -> Bool {
    earliest <= latest && earliest < window.end && latest >= window.start
  }

  /// The file's batch on a night whose window it does not touch.
  func batch(input: InputSpec) -> FileBatch {
    var batch = FileBatch()
    batch.tables = EventBuilder.initialTables(for: input)
    batch.counters = counters
    batch.report = report
    batch.warnings = warnings
    return batch
  }

  /// Whether the event builder gives `reason` before a record's time is known (so on
  /// every night alike): a missing, invalid or out-of-range time. (Every parser and
  /// line-level rejection precedes the time too.)
  static func precedesTime(_ reason: BadRowReason) -> Bool {
    switch reason {
    case .missingTimestamp, .invalidTimestamp, .timestampOutOfRange: return true
    default: return false
    }
  }
}

/// A file's identity for ``FileProfiles``: device, inode, size and modification time.
struct FileStamp: Sendable, Equatable {
  var device: UInt64
  var inode: UInt64
  var size: Int64
  var modifiedSeconds: Int64
  var modifiedNanoseconds: Int64

  init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
    size = Int64(info.st_size)
    modifiedSeconds = Int64(info.st_mtim.tv_sec)
    modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
  }
}
