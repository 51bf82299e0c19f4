import CPolkuKernels

/// Builds RFC 4180 CSV into a byte buffer, a cell at a time, without a `String` per row.
///
/// Cells are quoted only when they contain a comma, a quote, CR or LF; quotes inside are
/// doubled. Rows end with `\n`. Numbers are written in plain decimal (no exponent), so
/// DuckDB, Spark and spreadsheets read the same values.
///
/// Text cells are guarded against spreadsheet formulas by default (OWASP's rule for CSV
/// injection): a text cell, the header's included, whose first byte is `=`, `+`, `-`, `@`,
/// tab or CR is written with a leading `'`, inside the quotes when it is quoted. Numbers,
/// booleans, timestamps and hex ids are never guarded, so `-3` stays a number.
///
/// The bytes live in memory the builder owns and writes through a pointer: `sessions.csv`
/// is millions of rows of a dozen short cells, and an `Array` append costs a uniqueness
/// check and a generic copy per cell. The builder is not copyable, so nothing else can
/// hold that memory; ``bytes`` copies it out.
public struct CSVBuilder: ~Copyable, @unchecked Sendable {
  private var base: UnsafeMutablePointer<UInt8>
  private var count = 0
  private var capacity: Int
  private var atRowStart = true
  private var dates = TimestampParser.DateCache()
  /// Whether text cells that a spreadsheet would read as a formula get a leading `'`.
  public let guardsFormulas: Bool
  /// Rows written after the header.
  public private(set) var rows = 0

  /// Starts a table with the given header row.
  public init(header: [String], guardingFormulas: Bool = true) {
    self.init(reservingCapacity: 1 << 16, guardingFormulas: guardingFormulas)
    for name in header { cell(name) }
    endRow()
    rows = 0
  }

  /// Starts rows without a header (a piece of a table written elsewhere).
  public init(reservingCapacity capacity: Int, guardingFormulas: Bool = true) {
    self.capacity = max(capacity, 64)
    base = .allocate(capacity: self.capacity)
    guardsFormulas = guardingFormulas
  }

  deinit { base.deallocate() }

  /// The table so far.
  public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

  @inline(__always)
  private mutating func reserve(_ extra: Int) {
    if count + extra > capacity { grow(count + extra) }
  }

  private mutating func grow(_ needed: Int) {
    (base, capacity) = regrowByteBlock(base, count: count, capacity: capacity, needed: needed)
  }

  @inline(__always)
  private mutating func put(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  @inline(__always)
  private mutating func put(_ value: UnsafeBufferPointer<UInt8>) {
    guard let source = value.baseAddress else { return }
    let length = value.count
    // Cells of 8-16 bytes (most ids and pages): two overlapping word moves, not a `memmove`.
    if length >= 8 && length <= 16 {
      reserve(16)
      let from = UnsafeRawPointer(source)
      let to = UnsafeMutableRawPointer(base + count)
      let first = from.loadUnaligned(as: UInt64.self)
      let last = from.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
      to.storeBytes(of: first, as: UInt64.self)
      to.storeBytes(of: last, toByteOffset: length - 8, as: UInt64.self)
    } else {
      reserve(length)
      (base + count).update(from: source, count: length)
    }
    count += length
  }

  private mutating func separator() {
    if !atRowStart { put(UInt8(ascii: ",")) }
    atRowStart = false
  }

  /// Appends a text cell.
  public mutating func cell(_ text: String) {
    var copy = text
    copy.withUTF8 { cell(bytes: $0) }
  }

  /// Appends a text cell given as UTF-8 bytes.
  public mutating func cell(bytes value: UnsafeBufferPointer<UInt8>) {
    separator()
    let guarded = guardsFormulas && CSVBuilder.startsFormula(value)
    guard CSVBuilder.needsQuotes(value) else {
      if guarded { put(UInt8(ascii: "'")) }
      put(value)
      return
    }
    reserve(2 * value.count + 3)
    put(UInt8(ascii: "\""))
    if guarded { put(UInt8(ascii: "'")) }
    for byte in value {
      if byte == UInt8(ascii: "\"") { put(byte) }
      put(byte)
    }
    put(UInt8(ascii: "\""))
  }

  /// Appends one text cell of `parts` joined by `glue` (path steps), without building the
  /// joined `String` first: the same bytes as `cell(parts.joined(separator:))`.
  public mutating func cell(joining parts: [String], separator glue: StaticString) {
    let plain =
      glue.withUTF8Buffer { !CSVBuilder.needsQuotes($0) }
      && parts.allSatisfy { part in
        var part = part
        return part.withUTF8 { !CSVBuilder.needsQuotes($0) }
      }
    // A part that needs quoting is rare (labels are page paths and event names).
    guard plain else { return cell(parts.joined(separator: glue.description)) }
    separator()
    if guardsFormulas && CSVBuilder.startsFormula(joining: parts, separator: glue) {
      put(UInt8(ascii: "'"))
    }
    for (index, part) in parts.enumerated() {
      if index > 0 { glue.withUTF8Buffer { put($0) } }
      var part = part
      part.withUTF8 { put($0) }
    }
  }

  /// Whether `value` holds a comma, a quote, CR or LF (16 bytes at a time, see
  /// `polku_csv_needs_quotes`).
  @inline(__always)
  static func needsQuotes(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = value.baseAddress else { return false }
    return polku_csv_needs_quotes(base, value.count) != 0
  }

  /// Whether a spreadsheet would read a cell starting like `value` as a formula: its first
  /// byte is `=`, `+`, `-`, `@`, tab or CR. One compare and a shift of a bit set.
  @inline(__always)
  static func startsFormula(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = value.baseAddress, value.count > 0 else { return false }
    return isFormulaStart(base.pointee)
  }

  /// Whether `byte` is `=`, `+`, `-`, `@`, tab or CR: bit `byte - 9` (tab is the lowest)
  /// of `0x90_0014_0000_0011` is set for exactly these six.
  @inline(__always)
  static func isFormulaStart(_ byte: UInt8) -> Bool {
    let offset = byte &- 9
    return offset < 64 && (0x90_0014_0000_0011 as UInt64) >> UInt64(offset) & 1 != 0
  }

  /// ``startsFormula(_:)`` for the text of `parts` joined by `glue`.
  static func startsFormula(joining parts: [String], separator glue: StaticString) -> Bool {
    for (index, part) in parts.enumerated() {
      if index > 0 && glue.utf8CodeUnitCount > 0 { return isFormulaStart(glue.utf8Start.pointee) }
      if let first = part.utf8.first { return isFormulaStart(first) }
    }
    return false
  }

  /// Appends the string `id` of `table` as a text cell (empty for id 0).
  public mutating func cell(_ table: SymbolTable, _ id: UInt32) {
    table.withBytes(id) { cell(bytes: $0) }
  }

  /// Appends an integer cell.
  public mutating func cell(_ value: Int64) {
    separator()
    appendDecimal(value)
  }

  /// Appends an integer cell.
  public mutating func cell(_ value: Int) { cell(Int64(value)) }

  /// Appends a boolean cell as `true`/`false`.
  public mutating func cell(_ value: Bool) {
    let text: StaticString = value ? "true" : "false"
    separator()
    text.withUTF8Buffer { put($0) }
  }

  /// Appends a number with a fixed count of fraction digits (rounded half away from zero):
  /// the text of ``formatFixed(_:digits:)``, written straight into the buffer.
  public mutating func cell(_ value: Double, digits: Int) {
    separator()
    withFixed(value, digits: digits) { put($0) }
  }

  /// Appends a number with a fixed count of fraction digits, or an empty cell for nil.
  public mutating func cell(_ value: Double?, digits: Int) {
    if let value { cell(value, digits: digits) } else { emptyCell() }
  }

  /// Appends an ISO 8601 UTC timestamp cell: `2026-11-01T08:00:00.000Z`, or without the
  /// milliseconds `2026-11-01T08:00:00Z`.
  public mutating func timestampCell(_ millis: Int64, milliseconds: Bool = true) {
    separator()
    var cache = dates
    TimestampParser.withISO8601(millis, withFraction: milliseconds, cache: &cache) { put($0) }
    dates = cache
  }

  /// Appends `value` as 16 lower-case hex digits.
  public mutating func hexCell(_ value: UInt64) {
    separator()
    reserve(16)
    writeHex16(value, at: base + count)
    count += 16
  }

  /// The byte offset where the next row starts (after the header for a new builder).
  public var endOffset: Int { count }

  /// Appends an empty cell.
  public mutating func emptyCell() { separator() }

  /// Ends the current row.
  public mutating func endRow() {
    put(10)
    atRowStart = true
    rows += 1
  }

  private mutating func appendDecimal(_ value: Int64) {
    if value >= 0 && value < 10 {
      put(UInt8(ascii: "0") + UInt8(value))
      return
    }
    reserve(20)
    let length = writeDecimal(value, at: base + count)
    count += length
  }
}
