import CPolkuKernels
import PolkuGenerate
import Testing

@testable import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct SHA256Tests {
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
    (
      String(repeating: "a", count: 1000),
      "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
    ),
  ])
  func knownVectors(text: String, digest: String) {
    #expect(SHA256.hex(Array(text.utf8)) == digest)
    var portable = SHA256(portable: true)
    portable.update(Array(text.utf8))
    #expect(portable.hexDigest() == digest)
  }

  /// FIPS 180-2's long message: a million "a" (not a test argument: it would be printed).
  @Test func millionAs() {
    let digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(SHA256.hex(bytes) == digest)
    var portable = SHA256(portable: true)
    portable.update(bytes)
    #expect(portable.hexDigest() == digest)
  }

  @Test func chunkedUpdatesGiveTheSameDigest() {
    let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    let whole = SHA256.hex(bytes)
    for step in [1, 7, 63, 64, 65, 1000] {
      var hasher = SHA256()
      var index = 0
      while index < bytes.count {
        hasher.update(Array(bytes[index..<min(index + step, bytes.count)]))
        index += step
      }
      #expect(hasher.hexDigest() == whole, "step \(step)")
    }
  }

  /// Every length around the block and padding boundaries, whole and in random pieces.
  @Test func portableAndAcceleratedAgreeOnShortMessages() {
    var random = SplitMix64(seed: 256)
    for count in 0...300 {
      let bytes = Self.randomBytes(count, &random)
      let expected = Self.digest(bytes, portable: true, pieces: [count])
      let pieces = Self.randomPieces(total: count, largest: 70, &random)
      #expect(Self.digest(bytes, portable: false, pieces: [count]) == expected, "\(count)")
      #expect(Self.digest(bytes, portable: false, pieces: pieces) == expected, "\(count)")
      #expect(Self.digest(bytes, portable: true, pieces: pieces) == expected, "\(count)")
    }
  }

  /// A few megabytes in odd-sized pieces, checked against `sha256sum` on the same file.
  @Test func portableAndAcceleratedAgreeWithSha256sum() throws {
    var random = SplitMix64(seed: 3)
    let bytes = Self.randomBytes((3 << 20) + 77, &random)
    let expected = SHA256.hex(bytes)
    for largest in [5, 333, 65_537] {
      let pieces = Self.randomPieces(total: bytes.count, largest: largest, &random)
      #expect(Self.digest(bytes, portable: false, pieces: pieces) == expected, "\(largest)")
      #expect(Self.digest(bytes, portable: true, pieces: pieces) == expected, "\(largest)")
    }
    guard access("/usr/bin/sha256sum", X_OK) == 0 else { return }
    let folder = IngestTestKit.makeTempDir()
    defer { IngestTestKit.remove(folder) }
    try FileBytes.write(bytes, to: folder + "/data.bin")
    let line = try #require(Self.output(of: "/usr/bin/sha256sum \(folder)/data.bin"))
    #expect(line.prefix(64) == expected)
  }

  /// Guards against a dispatch that silently never takes the fast path.
  @Test(.enabled(if: Self.cpuHasSHAExtensions, "the CPU has no SHA extensions"))
  func usesTheSHAExtensionsWhenTheCPUHasThem() {
    #expect(polku_sha256_accelerated() == 1)
  }

  static let cpuHasSHAExtensions: Bool = {
    guard let info = try? FileBytes.read("/proc/cpuinfo") else { return false }
    return String(decoding: info, as: UTF8.self).contains(" sha_ni")
  }()

  static func digest(_ bytes: [UInt8], portable: Bool, pieces: [Int]) -> String {
    var hasher = SHA256(portable: portable)
    bytes.withUnsafeBufferPointer { all in
      var start = 0
      for count in pieces {
        hasher.update(UnsafeBufferPointer(rebasing: all[start..<start + count]))
        start += count
      }
    }
    return hasher.hexDigest()
  }

  static func randomBytes(_ count: Int, _ random: inout SplitMix64) -> [UInt8] {
    (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
  }

  /// Sizes from 1 to `largest` (the last one may be shorter) that add up to `total`.
  static func randomPieces(total: Int, largest: Int, _ random: inout SplitMix64) -> [Int] {
    var pieces: [Int] = []
    var left = total
    while left > 0 {
      let piece = min(left, 1 + random.below(largest))
      pieces.append(piece)
      left -= piece
    }
    return pieces
  }

  /// The first line `command` prints, or nil when it cannot be run.
  static func output(of command: String) -> String? {
    guard let pipe = popen(command, "r") else { return nil }
    var line = [CChar](repeating: 0, count: 256)
    let read = fgets(&line, Int32(line.count), pipe)
    let status = pclose(pipe)
    guard read != nil, status == 0 else { return nil }
    return String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
