/// The field values of one input record, as byte ranges.
///
/// A parser calls ``reset()`` and then ``set(_:_:)`` (or ``begin(_:)``/``append(_:)``/
/// ``end(_:)`` for values it decodes piecewise, such as JSON strings with escapes) for each
/// field it finds.
///
/// **Zero copy.** ``set(_:_:)`` stores only where the bytes are, so a value is normally a
/// slice of the parser's input line: the line must stay valid while the values are read
/// (ingest parses a line and builds its event before it moves on). Decoded values live in
/// an arena owned by the fields, which keeps its memory between records, so a record costs
/// no allocation. ``keepValues()`` copies every value into the arena, for callers that read
/// the values after the line is gone.
///
/// Copies of a `RecordFields` share their storage (it is one parser's scratch space, used
/// by one thread at a time).
public struct RecordFields: @unchecked Sendable {
  private let storage: Storage

  public init() {
    storage = Storage()
  }

  /// Forgets every value; keeps the arena's memory.
  public func reset() {
    storage.present.pointee = 0
    storage.arena.pointee.reset()
  }

  /// Makes `bytes` the value of `field`, replacing any earlier value. The bytes are not
  /// copied (see the type's notes).
  @inline(__always)
  public func set(_ field: Field, _ bytes: UnsafeBufferPointer<UInt8>) {
    storage.starts[field.rawValue] = UnsafePointer(bytes.baseAddress)
    storage.lengths[field.rawValue] = Int32(truncatingIfNeeded: bytes.count)
    storage.present.pointee |= field.bit
  }

  /// Stores a copy of the UTF-8 of `text` as the value of `field` (tests and slow paths).
  public func set(_ field: Field, string text: String) {
    begin(field)
    for byte in text.utf8 { append(byte) }
    end(field)
  }

  /// Gives `other` the value of `field` (two fields mapped to one input value).
  public func alias(_ field: Field, to other: Field) {
    storage.starts[other.rawValue] = storage.starts[field.rawValue]
    storage.lengths[other.rawValue] = storage.lengths[field.rawValue]
    if has(field) {
      storage.present.pointee |= other.bit
    } else {
      storage.present.pointee &= ~other.bit
    }
  }

  /// Starts a value that is then built in the arena with ``append(_:)`` and closed with
  /// ``end(_:)``.
  public func begin(_ field: Field) {
    storage.arena.pointee.begin()
  }

  /// Starts a value for a slot (closed with ``end(slot:)``).
  func beginSlot() {
    storage.arena.pointee.begin()
  }

  /// Appends one decoded byte to the value being built.
  @inline(__always)
  public func append(_ byte: UInt8) {
    storage.arena.pointee.append(byte)
  }

  /// Appends decoded bytes to the value being built.
  public func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
    storage.arena.pointee.append(contentsOf: bytes)
  }

  /// Closes the value started by ``begin(_:)``.
  public func end(_ field: Field) {
    end(slot: field.rawValue)
  }

  /// Closes the value started by ``begin(_:)`` as the value of slot `slot` (a field's raw
  /// value, or a hidden slot from ``Field/count`` up, for parsers' intermediate values).
  func end(slot: Int) {
    let value = storage.arena.pointee.built
    storage.starts[slot] = UnsafePointer(value.baseAddress)
    storage.lengths[slot] = Int32(truncatingIfNeeded: value.count)
    storage.present.pointee |= 1 << UInt32(slot)
  }

  /// Whether slot `slot` has a value.
  @inline(__always)
  func has(slot: Int) -> Bool {
    storage.present.pointee & (1 << UInt32(slot)) != 0
  }

  /// Gives slot `other` the value of slot `slot` (absent when `slot` is absent).
  func alias(slot: Int, to other: Int) {
    storage.starts[other] = storage.starts[slot]
    storage.lengths[other] = storage.lengths[slot]
    if has(slot: slot) {
      storage.present.pointee |= 1 << UInt32(other)
    } else {
      storage.present.pointee &= ~(1 << UInt32(other))
    }
  }

  /// Removes the values of every hidden slot (from ``Field/count`` up).
  func clearHiddenSlots() {
    storage.present.pointee &= Field.allBits
  }

  /// Removes the value of `field`.
  @inline(__always)
  public func clear(_ field: Field) {
    storage.present.pointee &= ~field.bit
  }

  /// Removes the values of the fields in `mask` (bit `field.rawValue` per field).
  @inline(__always)
  func clear(mask: UInt32) {
    storage.present.pointee &= ~mask
  }

  /// Makes `bytes` the value of every field in `mask` (several fields mapped to one path).
  @inline(__always)
  func set(mask: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) {
    var rest = mask
    let start = UnsafePointer(bytes.baseAddress)
    let length = Int32(truncatingIfNeeded: bytes.count)
    while rest != 0 {
      let index = rest.trailingZeroBitCount
      storage.starts[index] = start
      storage.lengths[index] = length
      rest &= rest &- 1
    }
    storage.present.pointee |= mask
  }

  /// Whether the current record has a value (possibly empty) for `field`.
  @inline(__always)
  public func has(_ field: Field) -> Bool {
    storage.present.pointee & field.bit != 0
  }

  /// Calls `body` with the value of `field`, or returns nil when the record has none.
  @inline(__always)
  public func withValue<R>(_ field: Field, _ body: (UnsafeBufferPointer<UInt8>) throws -> R)
    rethrows -> R?
  {
    guard storage.present.pointee & field.bit != 0 else { return nil }
    let length = Int(storage.lengths[field.rawValue])
    return try body(UnsafeBufferPointer(start: storage.starts[field.rawValue], count: length))
  }

  /// The value of `field` decoded as UTF-8 (tests, error messages), or nil when absent.
  public func string(_ field: Field) -> String? {
    withValue(field) { String(decoding: $0, as: UTF8.self) }
  }

  /// Copies every value into the fields' own arena, so they outlive the input line.
  public func keepValues() {
    for field in Field.allCases {
      guard let bytes = withValue(field, { $0 }) else { continue }
      begin(field)
      append(contentsOf: bytes)
      end(field)
    }
  }

  /// The number of value slots: one per field, the rest hidden (fallback paths).
  static let slotCount = 32

  /// The fields' memory: a start and a length per slot, which slots have a value, and the
  /// arena.
  private final class Storage {
    let starts = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(
      capacity: RecordFields.slotCount)
    let lengths = UnsafeMutablePointer<Int32>.allocate(capacity: RecordFields.slotCount)
    let arena = UnsafeMutablePointer<Arena>.allocate(capacity: 1)
    /// Bit `field.rawValue` set when the field has a value (lengths of others are stale).
    let present = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)

    init() {
      starts.initialize(repeating: nil, count: RecordFields.slotCount)
      lengths.initialize(repeating: -1, count: RecordFields.slotCount)
      arena.initialize(to: Arena(capacity: 4096))
      present.initialize(to: 0)
    }

    deinit {
      arena.pointee.release()
      arena.deinitialize(count: 1)
      arena.deallocate()
      starts.deallocate()
      lengths.deallocate()
      present.deallocate()
    }
  }
}

extension Field {
  /// The number of fields.
  static let count = Field.allCases.count

  /// The bits of every field (slots above them are hidden).
  static let allBits: UInt32 = (1 << UInt32(Field.count)) - 1

  /// The field's bit in masks of fields.
  @inline(__always)
  var bit: UInt32 { 1 << UInt32(rawValue) }
}

/// Bytes of decoded values. A full block is replaced by a larger one, and the old block is
/// kept until ``reset()``, so values already built stay where they are.
private struct Arena {
  var base: UnsafeMutablePointer<UInt8>
  var capacity: Int
  var count = 0
  /// Where the value being built starts.
  var valueStart = 0
  /// Full blocks, freed at the next reset.
  var retired: [UnsafeMutablePointer<UInt8>] = []

  init(capacity: Int) {
    base = .allocate(capacity: capacity)
    self.capacity = capacity
  }

  mutating func reset() {
    count = 0
    valueStart = 0
    if !retired.isEmpty {
      for block in retired { block.deallocate() }
      retired.removeAll()
    }
  }

  mutating func begin() { valueStart = count }

  var built: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: base + valueStart, count: count - valueStart)
  }

  @inline(__always)
  mutating func append(_ byte: UInt8) {
    if count == capacity { grow(minimum: 1) }
    base[count] = byte
    count += 1
  }

  mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
    if count + bytes.count > capacity { grow(minimum: bytes.count) }
    (base + count).update(from: source, count: bytes.count)
    count += bytes.count
  }

  /// Moves the value being built to a new block with room for `minimum` more bytes.
  private mutating func grow(minimum: Int) {
    let building = count - valueStart
    let size = max(capacity * 2, (building + minimum) * 2)
    let block = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    block.update(from: base + valueStart, count: building)
    retired.append(base)
    base = block
    capacity = size
    valueStart = 0
    count = building
  }

  func release() {
    base.deallocate()
    for block in retired { block.deallocate() }
  }
}
