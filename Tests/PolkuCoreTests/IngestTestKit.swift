import CZlib
import PolkuCore
import PolkuGenerate

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Helpers for the ingest tests: private temp folders, files, and a reference inflater.
enum IngestTestKit {
  /// A new empty folder of its own (tests run in parallel); remove it with ``remove(_:)``.
  static func makeTempDir() -> String {
    var template = Array("/tmp/polku-ingest-test-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress, let made = mkdtemp(base) else {
        fatalError("mkdtemp failed: \(String(cString: strerror(errno)))")
      }
      return String(cString: made)
    }
  }

  /// Removes `path` and everything below it.
  static func remove(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if (info.st_mode & S_IFMT) == S_IFDIR, let directory = opendir(path) {
      var names: [String] = []
      while let entry = readdir(directory) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
          tuple.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
      }
      closedir(directory)
      for name in names { remove(path + "/" + name) }
      rmdir(path)
    } else {
      unlink(path)
    }
  }

  /// Writes `bytes` to a new file at `path` (replacing it).
  static func write(_ bytes: [UInt8], to path: String) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(descriptor >= 0, "cannot create \(path)")
    defer { close(descriptor) }
    bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }
      var offset = 0
      while offset < raw.count {
        let written = systemWrite(descriptor, base + offset, raw.count - offset)
        precondition(written > 0, "cannot write \(path)")
        offset += written
      }
    }
  }

  static func gzip(_ text: String, level: Int = 6) throws -> [UInt8] {
    try GzipWriter.compress(Array(text.utf8), level: level)
  }

  /// One delivered line.
  struct Line: Equatable, CustomStringConvertible {
    var text: String
    var number: Int
    var status: LineStatus
    var description: String { "\(number):\(status == .complete ? "" : "tooLong:")\(text)" }
  }

  /// Reads `path` with ``LineReader`` and keeps every line.
  static func read(_ path: String, chunkSize: Int = 256 << 10, maxLineBytes: Int = 1 << 20)
    throws -> (lines: [Line], report: ReadReport)
  {
    var lines: [Line] = []
    let report = try LineReader.readLines(
      path: path, chunkSize: chunkSize, maxLineBytes: maxLineBytes
    ) { line, number, status in
      lines.append(
        Line(text: String(decoding: line, as: UTF8.self), number: number, status: status))
    }
    return (lines, report)
  }

  /// Everything zlib can inflate from `data` (concatenated gzip members, possibly cut or
  /// corrupt), in one go with an independent loop, and whether it ended cleanly.
  static func referenceInflate(_ data: [UInt8]) -> (output: [UInt8], clean: Bool) {
    var stream = z_stream()
    var output: [UInt8] = []
    var clean = false
    var input = data
    _ = polku_inflateInit2(&stream, 15 + 16)
    defer { inflateEnd(&stream) }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    input.withUnsafeMutableBufferPointer { source in
      stream.next_in = source.baseAddress
      stream.avail_in = UInt32(source.count)
      while true {
        let status = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
          stream.next_out = out.baseAddress
          stream.avail_out = UInt32(out.count)
          return inflate(&stream, Z_NO_FLUSH)
        }
        output.append(contentsOf: buffer[0..<(buffer.count - Int(stream.avail_out))])
        if status == Z_STREAM_END {
          guard stream.avail_in > 0 else {
            clean = true
            return
          }
          inflateReset(&stream)
        } else if status != Z_OK || (stream.avail_in == 0 && stream.avail_out > 0) {
          return
        }
      }
    }
    return (output, clean)
  }

  /// The lines a reader must deliver from `output`: complete lines, and the unterminated
  /// last one only when the input ended cleanly.
  static func expectedLines(_ output: [UInt8], clean: Bool) -> [String] {
    var pieces = output.split(separator: 0x0A, omittingEmptySubsequences: false).map {
      String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self)
    }
    let last = pieces.removeLast()
    if clean && !last.isEmpty { pieces.append(last) }
    return pieces
  }

  /// The package root, found from this file's path.
  static let packageRoot: String = {
    var path = "\(#filePath)"
    for _ in 0..<3 {
      if let slash = path.lastIndex(of: "/") { path = String(path[..<slash]) }
    }
    return path
  }()

  /// The NASA Kennedy log from the shared real-data folder, when present.
  static var nasaLogPath: String? { RealData.nasaLog }
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
  #else
    Darwin.write(descriptor, bytes, count)
  #endif
}
