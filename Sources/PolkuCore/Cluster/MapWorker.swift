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
/// `polku worker inputs` prints) and its path; or `INDEX<TAB>PATH<TAB>BASE64`, the file's
/// bytes given inline (a file on a filesystem only the cluster reads, `s3a://`, `hdfs://`:
/// Spark reads it, the task keeps a local copy while it reads it). Nothing is shared
/// between files but the page-name cache, so a file's part does not depend on which task
/// read it or with what.
public struct MapWorker: Sendable {
  let spec: PipelineSpec
  let window: DayWindow?

  /// A worker for `pipeline`; `date` as `polku run --date` (one day).
  public init(pipeline: PipelineSpec, date: String?) throws {
    spec = pipeline
    window = try date.map { try DayWindow(date: $0, timeZone: pipeline.partitions.timeZone) }
  }

  /// Reads every file the request lines on `descriptor` name (or carry) and writes their
  /// parts to standard output, one file at a time.
  public func run(requestsFrom descriptor: Int32) throws {
    let output = BufferedFile(descriptor: 1, name: "standard output")
    let pageCache = PageNameCache()
    var number = 0
    try RequestLines(descriptor: descriptor).each { line in
      number += 1
      var part: [UInt8] = []
      try read(request: line, number: number, pageCache: pageCache, into: &part)
      try output.append(part)
      try output.flush()
    }
  }

  /// The part of the file one request line names (or carries).
  func read(
    request line: ArraySlice<UInt8>, number: Int, pageCache: PageNameCache,
    into part: inout [UInt8]
  ) throws {
    let fields = line.split(separator: 9, maxSplits: 2, omittingEmptySubsequences: false)
    guard fields.count >= 2, let index = Int(String(decoding: fields[0], as: UTF8.self)),
      index >= 0, !fields[1].isEmpty
    else {
      let text = String(decoding: line.prefix(200), as: UTF8.self)
      throw PolkuError(
        .usage, "map request line \(number): want INDEX<TAB>PATH[<TAB>BASE64], got '\(text)'")
    }
    let path = String(decoding: fields[1], as: UTF8.self)
    guard fields.count == 3 else {
      try read(path, index: index, pageCache: pageCache, into: &part)
      return
    }
    var bytes: [UInt8] = []
    guard fields[2].withUnsafeBufferPointer({ Base64.decode($0, into: &bytes) }) else {
      throw PolkuError(.usage, "map request line \(number): the bytes of \(path) are not base64")
    }
    let copy = try MapWorker.temporaryPath()
    defer { unlink(copy) }
    try FileBytes.write(bytes, to: copy)
    let size = bytes.count
    bytes = []
    try read(path, index: index, pageCache: pageCache, into: &part, copy: (copy, size))
  }

  /// File `index`'s part.
  ///
  /// `copy`: where the file's bytes are, and how many, when not at `path`.
  func read(
    _ path: String, index: Int, pageCache: PageNameCache, into part: inout [UInt8],
    copy: (path: String, size: Int)? = nil
  ) throws {
    // The driver listed the files; one that is not here (a node without the mount) must
    // fail the task, not pass as a file no input matches.
    guard let size = copy?.size ?? InputFiles.size(of: path) else {
      throw PolkuError(.noInput, "cannot read \(path): no such file on this node")
    }
    let fingerprint = InputFiles.fingerprint(copy?.path ?? path).hash
    guard let input = IngestStage.input(for: path, in: spec.inputs) else {
      MapPart.write(
        index: index, path: path, size: size, fingerprint: fingerprint, batch: nil, badRows: [],
        to: &part)
      return
    }
    let badRowsPath = try MapWorker.temporaryPath()
    defer { unlink(badRowsPath) }
    let badRows = try BufferedFile(creating: badRowsPath)
    let batch = try FileIngest(
      pipeline: spec, input: input, path: path, window: window, pageCache: pageCache,
      readPath: copy?.path
    ).run(badRows: badRows, progress: nil)
    try badRows.close()
    let rows = try FileBytes.read(badRowsPath).split(separator: 10).map { Array($0) }
    MapPart.write(
      index: index, path: path, size: size, fingerprint: fingerprint, batch: batch,
      badRows: rows, to: &part)
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

/// Lines read from a file descriptor as they come, each handed over without its line
/// break (a last line without one too); lines may be of any length.
struct RequestLines {
  let descriptor: Int32

  func each(_ body: (ArraySlice<UInt8>) throws -> Void) throws {
    var pending: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var scanned = 0
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw PolkuError(.io, "cannot read the map requests: \(FileBytes.errorText(errno))")
      }
      if count == 0 { break }
      pending += chunk[0..<count]
      var start = 0
      while let newline = pending[scanned...].firstIndex(of: 10) {
        try body(pending[start..<newline])
        start = newline + 1
        scanned = start
      }
      pending.removeFirst(start)
      scanned = pending.count
    }
    if !pending.isEmpty { try body(pending[...]) }
  }
}
