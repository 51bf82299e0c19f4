#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Cuts a stream of byte blocks into lines, carrying a line that straddles two blocks.
///
/// Lines that lie inside one block are passed straight from it, without a copy; only a
/// line cut by a block boundary is copied into the carry buffer, which never holds more
/// than `maxLineBytes + 1` bytes (the extra byte is a possible `\r` before the `\n`). A
/// longer line is passed once, cut to `maxLineBytes`, with ``LineStatus/tooLong`` when its
/// newline (or a clean end of input) arrives; the bytes beyond the limit are skipped.
struct LineSplitter: ~Copyable {
  typealias Body = (UnsafeBufferPointer<UInt8>, Int, LineStatus) throws -> Void

  let maxLineBytes: Int
  /// The number of lines delivered so far, which is also the last line's number.
  private(set) var lines = 0
  private let carry: UnsafeMutablePointer<UInt8>
  private let carryCapacity: Int
  /// Bytes of the unfinished line seen so far; may exceed `carryCapacity`.
  private var pending = 0

  init(maxLineBytes: Int) {
    self.maxLineBytes = max(maxLineBytes, 1)
    carryCapacity = self.maxLineBytes + 1
    carry = .allocate(capacity: carryCapacity)
  }

  deinit { carry.deallocate() }

  /// Whether part of a line is waiting for its newline.
  var hasPartialLine: Bool { pending > 0 }

  /// Passes every line that ends in `block` to `body`; keeps the unfinished tail.
  mutating func feed(_ block: UnsafeBufferPointer<UInt8>, _ body: Body) throws {
    guard var cursor = block.baseAddress, !block.isEmpty else { return }
    let end = cursor + block.count
    while cursor < end {
      guard let found = memchr(cursor, 0x0A, end - cursor) else {
        keep(cursor, end - cursor)
        return
      }
      let newline = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
      try finishLine(cursor, newline - cursor, body)
      cursor = newline + 1
    }
  }

  /// Passes the last line of an input that ended cleanly without a final newline.
  mutating func finish(_ body: Body) throws {
    guard pending > 0 else { return }
    try finishLine(carry, 0, body)
  }

  /// Forgets an unfinished line (its input was cut off by damage).
  mutating func discardPartialLine() {
    pending = 0
  }

  private mutating func keep(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
    let room = carryCapacity - pending
    if room > 0 {
      (carry + pending).update(from: bytes, count: min(room, count))
    }
    pending += count
  }

  /// Delivers the line made of the carried bytes followed by `count` bytes at `tail`.
  private mutating func finishLine(_ tail: UnsafePointer<UInt8>, _ count: Int, _ body: Body)
    throws
  {
    var start = UnsafePointer(carry)
    var length = pending + count
    if pending == 0 {
      start = tail
    } else if pending < carryCapacity {
      let copied = min(count, carryCapacity - pending)
      (carry + pending).update(from: tail, count: copied)
    }
    pending = 0
    lines += 1
    // A line of more than maxLineBytes + 1 bytes is too long even without its "\r".
    if length <= carryCapacity {
      if length > 0 && start[length - 1] == 0x0D { length -= 1 }
      if length <= maxLineBytes {
        try body(UnsafeBufferPointer(start: start, count: length), lines, .complete)
        return
      }
    }
    try body(UnsafeBufferPointer(start: start, count: maxLineBytes), lines, .tooLong)
  }
}
