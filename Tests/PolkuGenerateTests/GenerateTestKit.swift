import CZlib

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Helpers for the generator's tests: private temp files and zlib's own gzip file reader.
enum GenerateTestKit {
  /// A new path of its own under /tmp (tests run in parallel); unlink it when done.
  static func makeTempPath() -> String { "/tmp/polku-generate-test-\(UUID().uuidString)" }

  /// Everything `gzread` inflates from the gzip file at `path` (concatenated members are
  /// read one after another), and whether the file was gzip and read to its end without
  /// an error (a cut or corrupt member). Independent of polku's own `LineReader`; unlike
  /// it, zlib ignores trailing bytes after a member that do not start another one.
  static func gunzip(_ path: String) -> (output: [UInt8], clean: Bool) {
    guard let file = gzopen(path, "rb") else { return ([], false) }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var count: Int32 = 0
    repeat {
      count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
      if count > 0 { output.append(contentsOf: buffer[0..<Int(count)]) }
    } while count > 0
    let plain = gzdirect(file) != 0
    let closed = gzclose(file)
    return (output, count == 0 && !plain && closed == Z_OK)
  }
}
