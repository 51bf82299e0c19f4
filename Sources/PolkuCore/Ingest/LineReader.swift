/// How a line was delivered.
public enum LineStatus: Sendable {
  /// The whole line.
  case complete
  /// Only the first `maxLineBytes` bytes of a longer line; the rest was skipped.
  case tooLong
}

/// Streams the lines of plain or gzip files: the hot path of every polku run.
///
/// Memory stays fixed whatever the file size: one input chunk, one output buffer of the
/// same size and a carry buffer of at most `maxLineBytes + 1` bytes. Lines are handed out
/// as views into those buffers, found with `memchr`; nothing is allocated per line.
public enum LineReader {
  /// Reads `path`: gzip when it starts with `1f 8b`, otherwise plain bytes. Calls `body`
  /// once per line, without the trailing `"\n"` (and without a `"\r"` before it), with the
  /// 1-based line number.
  ///
  /// Concatenated gzip members (`cat a.gz b.gz`, pigz, bgzip) are read as one stream. A
  /// damaged file does not throw: every line completed before the damage is delivered,
  /// the unfinished line at the damage is dropped, and ``ReadReport/damage`` says where
  /// and why. Lines are delivered as they are inflated, so a CRC-32 mismatch (checked at
  /// the end of a member) is reported after that member's lines were passed. Trailing
  /// bytes after a complete member that do not start another member are reported as
  /// damage too, but lose no line. A last line without a final newline is delivered when
  /// the input ended cleanly (a `"\r"` at its end is dropped as well).
  ///
  /// - Parameters:
  ///   - chunkSize: Bytes per read(2) and size of the inflate output buffer (at least 2).
  ///   - maxLineBytes: Longer lines are passed once, cut to this size, as `.tooLong`.
  ///   - progress: Called after each read with the compressed bytes read so far.
  ///   - body: Receives each line; the buffer is only valid during the call.
  /// - Throws: ``PolkuError`` `.noInput` when the file does not exist, `.io` when it
  ///   cannot be read (a folder, no permission, a read error); errors thrown by `body`.
  public static func readLines(
    path: String, chunkSize: Int = 256 << 10, maxLineBytes: Int = 1 << 20,
    progress: ((_ compressedBytesSoFar: Int) -> Void)? = nil,
    _ body: (_ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ status: LineStatus) throws
      -> Void
  ) throws -> ReadReport {
    let file = try ReadableFile(path: path)
    var run = ReadRun(
      path: path, chunkSize: max(chunkSize, 2), maxLineBytes: maxLineBytes, progress: progress)
    defer { run.release() }
    try run.read(file, body)
    return run.report
  }
}
