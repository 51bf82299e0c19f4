#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The map task of a cluster run (`polku worker map`): reads input files one after
/// another, each with the ingest of `polku run` (``FileIngest``), and writes each file's
/// result as a ``MapPart``.
///
/// Requests are `INDEX<TAB>PATH` lines: the file's index in the run's file list (what
/// `polku worker inputs` prints) and its path. Nothing is shared between files but the
/// page-name cache, so a file's part does not depend on which task read it or with what.
public struct MapWorker: Sendable {
  let spec: PipelineSpec
  let window: DayWindow?

  /// A worker for `pipeline`; `date` as `polku run --date` (one day).
  public init(pipeline: PipelineSpec, date: String?) throws {
    spec = pipeline
    window = try date.map { try DayWindow(date: $0, timeZone: pipeline.partitions.timeZone) }
  }

  /// Reads every file `requests` names and writes their parts to standard output.
  public func run(requests: [UInt8]) throws {
    let output = BufferedFile(descriptor: 1, name: "standard output")
    let pageCache = PageNameCache()
    var number = 0
    for line in requests.split(separator: 10, omittingEmptySubsequences: true) {
      number += 1
      let text = String(decoding: line, as: UTF8.self)
      let fields = text.split(separator: "\t", maxSplits: 1)
      guard fields.count == 2, let index = Int(fields[0]), index >= 0 else {
        throw PolkuError(
          .usage, "map request line \(number): want INDEX<TAB>PATH, got '\(text.prefix(200))'")
      }
      var part: [UInt8] = []
      try read(String(fields[1]), index: index, pageCache: pageCache, into: &part)
      try output.append(part)
      try output.flush()
    }
  }

  /// File `index`'s part.
  func read(_ path: String, index: Int, pageCache: PageNameCache, into part: inout [UInt8])
    throws
  {
    // The driver listed the files; one that is not here (a node without the mount) must
    // fail the task, not pass as a file no input matches.
    guard let size = InputFiles.size(of: path) else {
      throw PolkuError(.noInput, "cannot read \(path): no such file on this node")
    }
    guard let input = IngestStage.input(for: path, in: spec.inputs) else {
      MapPart.write(index: index, path: path, size: size, batch: nil, badRows: [], to: &part)
      return
    }
    let badRowsPath = try MapWorker.temporaryPath()
    defer { unlink(badRowsPath) }
    let badRows = try BufferedFile(creating: badRowsPath)
    let batch = try FileIngest(
      pipeline: spec, input: input, path: path, window: window, pageCache: pageCache
    ).run(badRows: badRows, progress: nil)
    try badRows.close()
    let rows = try FileBytes.read(badRowsPath).split(separator: 10).map { Array($0) }
    MapPart.write(index: index, path: path, size: size, batch: batch, badRows: rows, to: &part)
  }

  /// A new empty file of this process's own in `$TMPDIR` (or `/tmp`).
  static func temporaryPath() throws -> String {
    let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(folder)/polku-map-XXXXXX".utf8CString)
    return try template.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { throw PolkuError(.io, "no temp path") }
      let fd = mkstemp(base)
      guard fd >= 0 else {
        throw PolkuError(
          .io, "cannot create a temp file in \(folder): \(FileBytes.errorText(errno))")
      }
      close(fd)
      return String(cString: base)
    }
  }
}
