import PolkuGenerate
import Testing

@testable import PolkuCore

@Suite struct SymbolTableTests {
  @Test func internsAndLooksUp() {
    var table = SymbolTable(capacity: 2)
    let a = table.intern("alpha")
    let b = table.intern("beta")
    #expect(a == 1)
    #expect(b == 2)
    #expect(table.intern("alpha") == a)
    #expect(table.lookup("beta") == b)
    #expect(table.lookup("gamma") == nil)
    #expect(table.string(b) == "beta")
  }

  @Test func survivesGrowthWithManyValues() {
    var table = SymbolTable(capacity: 1)
    for index in 0..<10_000 { _ = table.intern("v\(index)") }
    #expect(table.count == 10_001)
    for index in stride(from: 0, to: 10_000, by: 97) {
      #expect(table.string(table.lookup("v\(index)") ?? 0) == "v\(index)")
    }
  }

  @Test func absorbMapsIdsInOrder() {
    var global = SymbolTable()
    _ = global.intern("x")
    var local = SymbolTable()
    _ = local.intern("y")
    _ = local.intern("x")
    let map = global.absorb(local)
    #expect(map == [0, 2, 1])
    #expect(global.strings == ["x", "y"])
  }

  @Test func prefetchingChangesNothingAndToleratesAnyId() {
    var table = SymbolTable()
    // An empty table, id 0 (no bytes) and ids past the end are all fine.
    table.prefetchEntry(0)
    table.prefetchBytes(0)
    table.prefetchBytes(7)
    let a = table.intern("alpha")
    _ = table.intern("")
    for id in [0, a, 2, 3, .max] as [UInt32] {
      table.prefetchEntry(id)
      table.prefetchBytes(id)
    }
    #expect(table.strings == ["alpha", ""])
    #expect(table.lookup("alpha") == a)
  }

  /// ``SymbolTable/hash64(_:)`` with its tail read byte by byte: the definition the
  /// loop-free tail must match exactly (message ids are deduplicated by this hash, so its
  /// values are part of what a run computes).
  static func referenceHash64(_ bytes: [UInt8]) -> UInt64 {
    let k: UInt64 = 0x9E37_79B9_7F4A_7C15
    var h = UInt64(bytes.count) &* k
    var offset = 0
    while offset + 8 <= bytes.count {
      var word: UInt64 = 0
      for index in 0..<8 { word |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
      h = (((h << 5) | (h >> 59)) ^ word) &* k
      offset += 8
    }
    if offset < bytes.count {
      var tail: UInt64 = 0
      for (index, byte) in bytes[offset...].enumerated() {
        tail |= UInt64(byte) << UInt64(8 * index)
      }
      h = (((h << 5) | (h >> 59)) ^ tail) &* k
    }
    h ^= h >> 29
    h = h &* 0xBF58_476D_1CE4_E5B9
    h ^= h >> 32
    return h
  }

  @Test func hashReadsEveryTailLengthLikeTheByteLoop() {
    var random = SplitMix64(seed: 7)
    // Every length from empty to five words and a bit, each behind 9 guard bytes (a read
    // before the value's start would change the hash) and on its own.
    for length in 0...45 {
      for _ in 0..<20 {
        let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let padded = [UInt8](repeating: 0xAB, count: 9) + bytes
        let expected = Self.referenceHash64(bytes)
        padded.withUnsafeBufferPointer { all in
          #expect(SymbolTable.hash64(UnsafeBufferPointer(rebasing: all[9...])) == expected)
        }
        bytes.withUnsafeBufferPointer { #expect(SymbolTable.hash64($0) == expected) }
      }
    }
  }
}
