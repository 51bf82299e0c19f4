// libFuzzer harness: LineReader on the raw input (gzip or plain, damaged or not) with small
// buffers, and a GzipWriter round trip: compressed input must read back as the same lines.
#if canImport(Glibc)
  import Glibc
#endif

private struct Line: Equatable {
  var bytes: [UInt8]
  var tooLong: Bool
}

/// The file LineReader reads: `POLKU_FUZZ_SCRATCH` (run.sh sets it and removes the file;
/// libFuzzer ends with `_exit`, so `atexit` never runs), else a new file in /dev/shm. On
/// disk a block write per execution makes the target ten times slower.
nonisolated(unsafe) private var scratchPath: String = {
  if let given = getenv("POLKU_FUZZ_SCRATCH") { return String(cString: given) }
  let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
  var template = Array("\(folder)/polku-fuzz-gzip-XXXXXX".utf8CString)
  return template.withUnsafeMutableBufferPointer { buffer in
    guard let base = buffer.baseAddress, case let fd = mkstemp(base), fd >= 0 else {
      fatalError("mkstemp failed")
    }
    close(fd)
    return String(cString: base)
  }
}()

private func store(_ bytes: UnsafeRawBufferPointer) {
  let fd = open(scratchPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  check(fd >= 0, "cannot open \(scratchPath)")
  defer { close(fd) }
  guard let base = bytes.baseAddress else { return }
  var offset = 0
  while offset < bytes.count {
    let written = write(fd, base + offset, bytes.count - offset)
    check(written > 0, "cannot write \(scratchPath)")
    offset += written
  }
}

private func readAll(chunk: Int, maxLine: Int) -> ([Line], ReadReport) {
  var lines: [Line] = []
  let report: ReadReport
  do {
    report = try LineReader.readLines(path: scratchPath, chunkSize: chunk, maxLineBytes: maxLine) {
      line, number, status in
      check(number == lines.count + 1, "line numbers skip")
      check(line.count <= maxLine, "line longer than maxLineBytes")
      lines.append(Line(bytes: Array(line), tooLong: status == .tooLong))
    }
  } catch {
    fatalError("LineReader threw on a readable file: \(error)")
  }
  check(report.lines == lines.count, "report.lines differs")
  return (lines, report)
}

/// What LineReader must deliver for the plain bytes `input`.
private func expectedLines(_ input: UnsafeBufferPointer<UInt8>, maxLine: Int) -> [Line] {
  var parts = input.split(separator: 0x0A, omittingEmptySubsequences: false)
  if parts.last?.isEmpty == true { parts.removeLast() }
  return parts.map { part in
    var stripped = Array(part)
    if stripped.last == 0x0D { stripped.removeLast() }
    if stripped.count <= maxLine { return Line(bytes: stripped, tooLong: false) }
    return Line(bytes: Array(part.prefix(maxLine)), tooLong: true)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard size >= 2 else { return 0 }
  let chunk = 2 + Int(data[0] % 64)
  let maxLine = 1 + Int(data[1] % 48)
  let input = UnsafeBufferPointer(start: data + 2, count: size - 2)

  // 1. The input as it is: plain lines or (possibly damaged) gzip; must never trap.
  store(UnsafeRawBufferPointer(input))
  let (raw, report) = readAll(chunk: chunk, maxLine: maxLine)
  let isGzip = input.count >= 2 && input[0] == 0x1F && input[1] == 0x8B
  if !isGzip {
    check(report.damage == nil, "damage reported on plain input")
    check(raw == expectedLines(input, maxLine: maxLine), "plain lines differ")
  }

  // 2. Round trip: compressed input reads back as the lines of the plain input, intact.
  guard let compressed = try? GzipWriter.compress(Array(input), level: Int(data[0] >> 6) * 3)
  else { fatalError("GzipWriter failed") }
  compressed.withUnsafeBytes { store($0) }
  let (lines, gzipReport) = readAll(chunk: chunk, maxLine: maxLine)
  check(
    gzipReport.damage == nil, "own gzip reported damaged: \(String(describing: gzipReport.damage))")
  check(lines == expectedLines(input, maxLine: maxLine), "gzip round trip differs")
  return 0
}
