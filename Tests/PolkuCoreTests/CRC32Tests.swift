import Testing

@testable import PolkuCore

/// ``CRC32``: the carry-less multiplication path against zlib's own `crc32()`.
@Suite struct CRC32Tests {
  /// Pseudo-random bytes (an LCG), so failures are reproducible.
  static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
  }

  @Test func checkValue() {
    // The CRC-32 catalogue's check value: the CRC of "123456789".
    let digits = Array("123456789".utf8)
    #expect(digits.withUnsafeBufferPointer { CRC32.update(0, $0) } == 0xCBF4_3926)
    let long = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
    #expect(
      long.withUnsafeBufferPointer { CRC32.update(0, $0) }
        == long.withUnsafeBufferPointer { CRC32.updateWithZlib(0, $0) })
  }

  @Test func everyLengthAndAlignmentMatchesZlib() {
    let data = Self.bytes(70_000, seed: 9)
    data.withUnsafeBufferPointer { all in
      for offset in 0..<16 {
        for length in Array(0...300) + [1023, 1024, 1025, 4096 + 48, 65_536 + 7, 69_000] {
          let slice = UnsafeBufferPointer(rebasing: all[offset..<(offset + length)])
          let fast = CRC32.update(0x1234_5678, slice)
          let zlib = CRC32.updateWithZlib(0x1234_5678, slice)
          #expect(fast == zlib, "offset \(offset) length \(length)")
          if fast != zlib { return }
        }
      }
    }
  }

  @Test func runningValuesChainLikeZlib() {
    let data = Self.bytes(10_000, seed: 4)
    data.withUnsafeBufferPointer { all in
      let whole = CRC32.updateWithZlib(0, all)
      for step in [1, 15, 16, 64, 65, 777] {
        var crc: UInt32 = 0
        var index = 0
        while index < all.count {
          let end = min(index + step, all.count)
          crc = CRC32.update(crc, UnsafeBufferPointer(rebasing: all[index..<end]))
          index = end
        }
        #expect(crc == whole, "step \(step)")
      }
    }
  }

  @Test func thisMachineUsesTheFastPathWhereItCan() {
    #if arch(x86_64)
      // Every x86-64 CPU of the last decade has PCLMULQDQ and SSE4.1; CI runs on one.
      #expect(CRC32.isAccelerated)
    #endif
  }
}
