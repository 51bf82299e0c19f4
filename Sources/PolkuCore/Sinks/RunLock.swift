#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive lock on an output or state folder, held for the whole run.
///
/// The lock is `flock(2)` on a file beside the folder (`.<name>.polku.lock`), so the kernel
/// releases it when the holder dies, even by `kill -9`: a lock file left behind by a killed
/// run is stale by construction and the next run simply takes it. The file records the
/// holder's pid and start time, for the message a second run prints.
public final class RunLock: @unchecked Sendable {
  public let path: String
  private var fd: Int32

  /// Takes the lock for `folder`, or throws ``PolkuError/Code/locked`` naming the holder.
  public init(for folder: String) throws {
    var trimmed = folder
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
    let name = String(parts.last ?? "out")
    let above = parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
    let parent = above.isEmpty ? "/" : above
    try OutputFolder.makeDirectories(parent)
    path = "\(parent)/.\(name).polku.lock"
    // Not through a symbolic link: the pid written below would land in the link's target.
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
    guard fd >= 0 else { throw FileBytes.createFailure(path) }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let holder = (try? FileBytes.read(path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
      close(fd)
      fd = -1
      throw PolkuError(
        .locked,
        "\(folder) is in use by another polku run (\(holder.isEmpty ? "unknown" : holder)); "
          + "lock \(path)")
    }
    let note = Array("pid \(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    note.withUnsafeBytes { _ = pwrite(fd, $0.baseAddress, $0.count, 0) }
  }

  /// Releases the lock (also released when the process exits).
  public func release() {
    guard fd >= 0 else { return }
    flock(fd, LOCK_UN)
    close(fd)
    fd = -1
  }

  deinit { release() }
}
