import PolkuCore

/// A growable byte buffer for building output lines without a `String` per value.
///
/// One buffer belongs to one writer on one thread. Appends never shrink the storage;
/// ``removeAll()`` keeps the capacity, so building lines does not allocate once warm.
final class ByteBuffer {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int = 1 << 12) {
    self.capacity = max(capacity, 64)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// The bytes written so far.
  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  /// Forgets the contents, keeping the storage.
  @inline(__always) func removeAll() { count = 0 }

  /// Drops the last `n` bytes.
  @inline(__always) func truncate(to length: Int) { count = min(count, max(0, length)) }

  @inline(__always) func reserve(_ extra: Int) {
    if count + extra > capacity { grow(count + extra) }
  }

  private func grow(_ needed: Int) {
    (base, capacity) = regrowByteBlock(base, count: count, capacity: capacity, needed: needed)
  }

  @inline(__always) func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  @inline(__always) func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    reserve(bytes.count)
    (base + count).update(from: source, count: bytes.count)
    count += bytes.count
  }

  @inline(__always) func append(_ text: StaticString) {
    text.withUTF8Buffer { append($0) }
  }

  @inline(__always) func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { append($0) }
  }

  /// Appends the UTF-8 of a `String` (slow paths only).
  func append(string: String) {
    var copy = string
    copy.withUTF8 { append($0) }
  }

  /// Appends a decimal integer.
  @inline(__always) func append(decimal value: Int64) {
    reserve(20)
    let length = writeDecimal(value, at: base + count)
    count += length
  }

  /// Appends `value` in decimal, left-padded with zeros to `width` digits.
  @inline(__always) func append(padded value: Int, width: Int) {
    reserve(width)
    var rest = value
    var index = width - 1
    while index >= 0 {
      base[count + index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
      rest /= 10
      index -= 1
    }
    count += width
  }

  /// Appends `value` as 16 lower-case hex digits.
  @inline(__always) func append(hex16 value: UInt64) {
    reserve(16)
    writeHex16(value, at: base + count)
    count += 16
  }
}
