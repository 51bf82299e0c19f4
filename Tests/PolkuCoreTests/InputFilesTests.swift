import PolkuCore
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// ``InputFiles`` expands files, folders and globs into a sorted list.
@Suite struct InputFilesTests {
  typealias Kit = IngestTestKit

  /// A tree with visible, hidden and nested files; returns its root.
  static func makeTree() -> String {
    let dir = Kit.makeTempDir()
    for folder in ["logs", "logs/2024", "logs/.cache", "logs/empty", "other"] {
      mkdir("\(dir)/\(folder)", 0o755)
    }
    for file in [
      "logs/b.log.gz", "logs/A.log.gz", "logs/2024/c.log", "logs/.hidden.gz",
      "logs/.cache/d.gz", "other/x.tsv", "other/y.tsv", "other/z.json",
    ] {
      Kit.write(Array(file.utf8), to: "\(dir)/\(file)")
    }
    return dir
  }

  @Test func expandsFoldersRecursivelySkippingHidden() throws {
    let dir = Self.makeTree()
    defer { Kit.remove(dir) }
    // Bytewise order: "2" < "A" < "b".
    #expect(
      try InputFiles.resolve(["\(dir)/logs"]) == [
        "\(dir)/logs/2024/c.log", "\(dir)/logs/A.log.gz", "\(dir)/logs/b.log.gz",
      ])
    #expect(try InputFiles.resolve(["\(dir)/logs/"]) == InputFiles.resolve(["\(dir)/logs"]))
    #expect(try InputFiles.resolve(["\(dir)/logs/empty"]).isEmpty)
  }

  @Test func keepsFilesAsGivenEvenHidden() throws {
    let dir = Self.makeTree()
    defer { Kit.remove(dir) }
    #expect(try InputFiles.resolve(["\(dir)/logs/.hidden.gz"]) == ["\(dir)/logs/.hidden.gz"])
  }

  @Test func expandsGlobsAndDeduplicates() throws {
    let dir = Self.makeTree()
    defer { Kit.remove(dir) }
    let resolved = try InputFiles.resolve([
      "\(dir)/other/*.tsv", "\(dir)/other/x.tsv", "\(dir)/other/[xz].*", "\(dir)/logs/?.log.gz",
    ])
    #expect(
      resolved == [
        "\(dir)/logs/A.log.gz", "\(dir)/logs/b.log.gz", "\(dir)/other/x.tsv",
        "\(dir)/other/y.tsv", "\(dir)/other/z.json",
      ])
    // A glob matching a folder expands it.
    #expect(try InputFiles.resolve(["\(dir)/lo*"]) == InputFiles.resolve(["\(dir)/logs"]))
  }

  @Test func missingPathOrEmptyGlobThrowsNamingIt() throws {
    let dir = Self.makeTree()
    defer { Kit.remove(dir) }
    for argument in ["\(dir)/nope.gz", "\(dir)/other/*.csv", "\(dir)/other/x.tsv/inner"] {
      do {
        _ = try InputFiles.resolve(["\(dir)/other/x.tsv", argument])
        Issue.record("no error for \(argument)")
      } catch let error as PolkuError {
        #expect(error.code == .noInput, "\(argument)")
        #expect(error.message.contains(argument), "\(error.message)")
      }
    }
  }

  @Test func sizeOfFile() throws {
    let dir = Self.makeTree()
    defer { Kit.remove(dir) }
    #expect(InputFiles.size(of: "\(dir)/other/z.json") == "other/z.json".utf8.count)
    #expect(InputFiles.size(of: "\(dir)/missing") == nil)
  }
}
