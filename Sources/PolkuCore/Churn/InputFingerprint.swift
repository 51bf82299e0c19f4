/// Identifies one input file folded into a ``CustomerState``, so that re-running the same
/// night's input is detected instead of counted twice.
///
/// Two fingerprints are the same input when `size` and `hash` are equal, whatever the
/// path (a re-run from a copy of the file is still a re-run). The caller computes `hash`
/// over the file's bytes (any stable content hash, e.g. `crc32:1c291ca3` or a SHA-256);
/// polku compares it as text.
public struct InputFingerprint: Codable, Sendable, Hashable {
  public var path: String
  public var size: Int64
  public var hash: String

  public init(path: String, size: Int64, hash: String) {
    self.path = path
    self.size = size
    self.hash = hash
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case path, size, hash }

  /// Whether `other` is the same content (size and hash).
  public func sameContent(as other: InputFingerprint) -> Bool {
    size == other.size && hash == other.hash
  }
}

/// What ``CustomerState/fold(_:inputs:spec:now:carriedWereFolded:)`` did.
public struct FoldResult: Sendable, Equatable {
  /// Every input had been folded before: the state is unchanged.
  public var alreadyFolded = false
  /// Sessions of known users folded in.
  public var sessions = 0
  /// Sessions without a user id, not folded (anonymous visitors are not customers).
  public var anonymousSessions = 0
  /// Customers with at least one folded session.
  public var customersUpdated = 0
  /// Customers seen for the first time.
  public var newCustomers = 0

  public init() {}
}
