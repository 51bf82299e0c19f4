/// Where and why reading a compressed file stopped early.
///
/// Damage is data, not an exception: the lines before it were delivered, and the caller
/// decides (by its bad-data policy) whether a damaged file fails the run.
public struct ReadDamage: Sendable, Equatable, CustomStringConvertible {
  /// The compressed byte offset at which the damage was detected (0-based).
  public var offset: Int
  /// What is wrong, e.g. `unexpected end of file (truncated gzip member)`,
  /// `invalid gzip data: invalid distance too far back`, `trailing garbage after gzip member`.
  public var reason: String

  public init(offset: Int, reason: String) {
    self.offset = offset
    self.reason = reason
  }

  public var description: String { "\(reason) at byte \(offset)" }
}

/// What ``LineReader/readLines(path:chunkSize:maxLineBytes:progress:_:)`` read from one file.
public struct ReadReport: Sendable {
  /// The path as given.
  public var path: String
  /// Bytes read from the file (its size, unless damage stopped the read early).
  public var compressedBytes: Int
  /// Bytes after decompression (equal to `compressedBytes` for plain files).
  public var inflatedBytes: Int
  /// Lines delivered, including lines passed as ``LineStatus/tooLong``.
  public var lines: Int
  /// Complete gzip members (0 for plain files).
  public var members: Int
  /// Whether the file starts with the gzip magic bytes `1f 8b`.
  public var isGzip: Bool
  /// Set when the file is truncated, corrupt, or has trailing garbage.
  public var damage: ReadDamage?

  public init(
    path: String, compressedBytes: Int = 0, inflatedBytes: Int = 0, lines: Int = 0,
    members: Int = 0, isGzip: Bool = false, damage: ReadDamage? = nil
  ) {
    self.path = path
    self.compressedBytes = compressedBytes
    self.inflatedBytes = inflatedBytes
    self.lines = lines
    self.members = members
    self.isGzip = isGzip
    self.damage = damage
  }
}
