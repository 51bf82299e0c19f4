import PolkuCore
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// ``GzipWriter`` writes members that zlib and ``LineReader`` read back.
@Suite struct GzipWriterTests {
  typealias Kit = IngestTestKit

  @Test func streamsMembersToADescriptor() throws {
    let dir = Kit.makeTempDir()
    defer { Kit.remove(dir) }
    let path = "\(dir)/out.gz"
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
    let (lines, report) = try Kit.read(path)
    #expect(lines.map(\.text) == expected && report.members == 2 && report.damage == nil)
  }

  @Test func compressesInMemory() throws {
    let data = Array(repeating: Array("abc\n".utf8), count: 10_000).flatMap { $0 }
    let gz = try GzipWriter.compress(data, level: 9)
    #expect(gz.prefix(2) == [0x1F, 0x8B] && gz.count < data.count / 20)
    let reference = Kit.referenceInflate(gz)
    #expect(reference.clean && reference.output == data)
  }
}
