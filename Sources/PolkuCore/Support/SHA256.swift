import CPolkuKernels

/// SHA-256 (FIPS 180-4), for output and pipeline checksums in the manifest.
///
/// Whole 64-byte blocks are compressed in C straight from the caller's buffer
/// (`Sources/CPolkuKernels`: the x86 SHA extensions when the CPU has them, portable C
/// otherwise); only a partial block is buffered between updates.
public struct SHA256 {
  private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab,
    0x5be0_cd19
  )
  /// The bytes of an unfinished block (fewer than 64).
  private var pending: [UInt8] = []
  private var length: UInt64 = 0
  /// Whether to skip SHA-NI and always use portable C (tests compare the two).
  private let portable: Bool

  public init() {
    portable = false
  }

  /// A hasher that never uses the SHA extensions, to test the portable code on any CPU.
  init(portable: Bool) {
    self.portable = portable
  }

  /// The hex digest of `bytes`.
  public static func hex(_ bytes: [UInt8]) -> String {
    var hasher = SHA256()
    hasher.update(bytes)
    return hasher.hexDigest()
  }

  /// Adds bytes to the message.
  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { update($0) }
  }

  /// Adds bytes to the message.
  public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard var rest = bytes.baseAddress, !bytes.isEmpty else { return }
    length &+= UInt64(bytes.count)
    var count = bytes.count
    if !pending.isEmpty {
      let take = min(64 - pending.count, count)
      pending.append(contentsOf: UnsafeBufferPointer(start: rest, count: take))
      rest += take
      count -= take
      guard pending.count == 64 else { return }
      pending.withUnsafeBufferPointer { compress($0) }
      pending.removeAll(keepingCapacity: true)
    }
    let whole = count & ~63
    compress(UnsafeBufferPointer(start: rest, count: whole))
    pending.append(contentsOf: UnsafeBufferPointer(start: rest + whole, count: count - whole))
  }

  /// The digest as lower-case hex.
  public mutating func hexDigest() -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in finalize() {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 15)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// The 32-byte digest.
  public mutating func finalize() -> [UInt8] {
    let bitLength = length &* 8
    var tail = pending
    tail.append(0x80)
    while tail.count % 64 != 56 { tail.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) {
      tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
    }
    tail.withUnsafeBufferPointer { compress($0) }
    var digest: [UInt8] = []
    withUnsafeBytes(of: state) { raw in
      for word in raw.bindMemory(to: UInt32.self) {
        for shift in stride(from: 24, through: 0, by: -8) {
          digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
        }
      }
    }
    return digest
  }

  /// Compresses the whole 64-byte blocks of `blocks` into the state.
  private mutating func compress(_ blocks: UnsafeBufferPointer<UInt8>) {
    guard let data = blocks.baseAddress, blocks.count >= 64 else { return }
    let portable = portable
    withUnsafeMutableBytes(of: &state) { raw in
      guard let words = raw.bindMemory(to: UInt32.self).baseAddress else { return }
      if portable {
        polku_sha256_blocks_portable(words, data, blocks.count / 64)
      } else {
        polku_sha256_blocks(words, data, blocks.count / 64)
      }
    }
  }
}
