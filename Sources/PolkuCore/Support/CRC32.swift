import CPolkuKernels
import CZlib

/// CRC-32 as gzip and zlib define it (`crc32()` in zlib), with the bulk of each buffer done
/// by carry-less multiplication when the CPU has it (`Sources/CPolkuKernels/crc32.c`,
/// several times faster than zlib's table code) and the rest by zlib.
enum CRC32 {
  /// The running CRC after `bytes`, given the CRC of what came before (0 to start).
  static func update(_ crc: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
    var value = crc
    let done = polku_crc32_bulk(&value, base, bytes.count)
    return updateWithZlib(value, UnsafeBufferPointer(rebasing: bytes[done...]))
  }

  /// The same through zlib only (tests compare the two).
  static func updateWithZlib(_ crc: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
    return UInt32(truncatingIfNeeded: crc32(uLong(crc), base, uInt(bytes.count)))
  }

  /// Whether ``update(_:_:)`` uses carry-less multiplication on this CPU.
  static var isAccelerated: Bool { polku_crc32_accelerated() != 0 }
}
