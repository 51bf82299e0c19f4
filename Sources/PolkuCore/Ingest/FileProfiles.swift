import Synchronization

/// The input files' profiles (``FileProfile``) shared by the nights of one backfill
/// (`--date FROM..TO`): each file is read on the first night and then only on the nights
/// its records' time range touches; on the others its profile stands in for the read,
/// with the same outputs.
///
/// Give the same instance to every night's ``RunOptions/fileProfiles``. Thread-safe.
public final class FileProfiles: Sendable {
  private let profiles = Mutex<[String: FileProfile]>([:])
  private let counts = Mutex<(read: Int, skipped: Int)>((0, 0))

  public init() {}

  /// Files read and files skipped (their profile used) so far, over all nights.
  public var reads: (read: Int, skipped: Int) { counts.withLock { $0 } }

  /// The profile of `path` when the file is unchanged since it was recorded.
  func profile(of path: String, stamp: FileStamp) -> FileProfile? {
    profiles.withLock { $0[path] }.flatMap { $0.stamp == stamp ? $0 : nil }
  }

  func record(_ profile: FileProfile, for path: String) {
    profiles.withLock { $0[path] = profile }
    counts.withLock { $0.read += 1 }
  }

  func countSkipped() {
    counts.withLock { $0.skipped += 1 }
  }
}
