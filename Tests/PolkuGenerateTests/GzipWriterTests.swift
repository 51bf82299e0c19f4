import PolkuCore
import PolkuGenerate
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// ``GzipWriter`` writes members that zlib and ``LineReader`` read back.
@Suite struct GzipWriterTests {
  typealias Kit = GenerateTestKit

  @Test func streamsMembersToADescriptor() throws {
    let path = Kit.makeTempPath()
    defer { unlink(path) }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    try #require(descriptor >= 0)
    var expected: [String] = []
    for member in 0..<2 {
      let gzip = try GzipWriter(fileDescriptor: descriptor, level: 1)
      for index in 0..<20_000 {
        try gzip.write("member \(member) line \(index)\n")
        expected.append("member \(member) line \(index)")
      }
      try gzip.finish()
      try gzip.finish()
      #expect(gzip.bytes.isEmpty)
      #expect(throws: PolkuError.self) { try gzip.write("late") }
    }
    close(descriptor)
    var lines: [String] = []
    let report = try LineReader.readLines(path: path) { line, _, _ in
      lines.append(String(decoding: line, as: UTF8.self))
    }
    #expect(lines == expected && report.members == 2 && report.damage == nil)
  }

  @Test func compressesInMemory() throws {
    let data = Array(repeating: Array("abc\n".utf8), count: 10_000).flatMap { $0 }
    let gz = try GzipWriter.compress(data, level: 9)
    #expect(gz.prefix(2) == [0x1F, 0x8B] && gz.count < data.count / 20)
    let path = Kit.makeTempPath()
    defer { unlink(path) }
    let file = try FileSink(path: path)
    try gz.withUnsafeBufferPointer { try file.write($0) }
    try file.close()
    let reference = Kit.gunzip(path)
    #expect(reference.clean && reference.output == data)
  }
}
