/// `bad_rows.jsonl` from the per-file parts ingest wrote (one per input file, each in line
/// order).
enum BadRowParts {
  /// Joins `parts` in input order into `path`, removes them, and returns the file's size
  /// and SHA-256 (a part that was never written is skipped).
  static func concatenate(_ parts: [String], into path: String) throws -> WrittenBytes {
    let file = try BufferedFile(creating: path)
    var hasher = SHA256()
    var total = 0
    for part in parts {
      guard let bytes = try? FileBytes.read(part) else { continue }
      hasher.update(bytes)
      total += bytes.count
      try file.append(bytes)
      OutputFolder.removeTree(part)
    }
    try file.close()
    return WrittenBytes(bytes: total, sha256: hasher.hexDigest())
  }

  /// The size and checksum of a file written.
  struct WrittenBytes: Sendable {
    var bytes: Int
    var sha256: String
  }
}
