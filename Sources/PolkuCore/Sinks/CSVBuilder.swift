/// Builds RFC 4180 CSV into a byte buffer, a cell at a time, without a `String` per row.
///
/// Cells are quoted only when they contain a comma, a quote, CR or LF; quotes inside are
/// doubled. Rows end with `\n`. Numbers are written in plain decimal (no exponent), so
/// DuckDB, Spark and spreadsheets read the same values.
public struct CSVBuilder: Sendable {
  public private(set) var bytes: [UInt8] = []
  private var atRowStart = true
  /// Rows written after the header.
  public private(set) var rows = 0

  /// Starts a table with the given header row.
  public init(header: [String]) {
    bytes.reserveCapacity(1 << 16)
    for name in header { cell(name) }
    endRow()
    rows = 0
  }

  /// Starts rows without a header (a piece of a table written elsewhere).
  public init(reservingCapacity capacity: Int) {
    bytes.reserveCapacity(capacity)
  }

  private mutating func separator() {
    if !atRowStart { bytes.append(UInt8(ascii: ",")) }
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
    guard CSVBuilder.needsQuotes(value) else {
      bytes.append(contentsOf: value)
      return
    }
    bytes.append(UInt8(ascii: "\""))
    for byte in value {
      if byte == UInt8(ascii: "\"") { bytes.append(byte) }
      bytes.append(byte)
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Whether `value` holds a comma, a quote, CR or LF; eight bytes at a time.
  @inline(__always)
  static func needsQuotes(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = value.baseAddress else { return false }
    let raw = UnsafeRawPointer(base)
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    // A byte of `word` equals `c` where `word ^ (c * ones)` has a zero byte (exact test:
    // no borrow can cross into a byte that is not itself zero or above one).
    @inline(__always) func hasByte(_ word: UInt64, _ c: UInt64) -> Bool {
      let x = word ^ (c &* ones)
      return (x &- ones) & ~x & highs != 0
    }
    var offset = 0
    let count = value.count
    while offset + 8 <= count {
      let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      if hasByte(word, 0x2C) || hasByte(word, 0x22) || hasByte(word, 0x0A) || hasByte(word, 0x0D) {
        return true
      }
      offset += 8
    }
    while offset < count {
      let byte = base[offset]
      if byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
      offset += 1
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
  public mutating func cell(_ value: Bool) { cell(value ? "true" : "false") }

  /// Appends a number with a fixed count of fraction digits (rounded half away from zero):
  /// the text of ``formatFixed(_:digits:)``, written straight into the buffer.
  public mutating func cell(_ value: Double, digits: Int) {
    separator()
    appendFixed(value, digits: digits, to: &bytes)
  }

  /// Appends an ISO 8601 UTC timestamp cell: `2026-11-01T08:00:00.000Z`, or without the
  /// milliseconds `2026-11-01T08:00:00Z`.
  public mutating func timestampCell(_ millis: Int64, milliseconds: Bool = true) {
    separator()
    TimestampParser.appendISO8601(millis, withFraction: milliseconds, to: &bytes)
  }

  /// Appends `value` as 16 lower-case hex digits.
  public mutating func hexCell(_ value: UInt64) {
    separator()
    let digits: StaticString = "0123456789abcdef"
    digits.withUTF8Buffer { hex in
      for shift in stride(from: 60, through: 0, by: -4) {
        bytes.append(hex[Int((value >> UInt64(shift)) & 15)])
      }
    }
  }

  /// The byte offset where the next row starts (after the header for a new builder).
  public var endOffset: Int { bytes.count }

  /// Appends an empty cell.
  public mutating func emptyCell() { separator() }

  /// Ends the current row.
  public mutating func endRow() {
    bytes.append(10)
    atRowStart = true
    rows += 1
  }

  private mutating func appendDecimal(_ value: Int64) {
    if value >= 0 && value < 10 {
      bytes.append(UInt8(ascii: "0") + UInt8(value))
      return
    }
    if value < 0 {
      bytes.append(UInt8(ascii: "-"))
      if value == Int64.min {
        bytes.append(contentsOf: Array("9223372036854775808".utf8))
        return
      }
    }
    var magnitude = value.magnitude
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &digits) { buffer in
      // Digits from the right end of the buffer leftwards, then appended at once.
      var start = buffer.count
      repeat {
        start -= 1
        buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
      } while magnitude > 0
      bytes.append(
        contentsOf: UnsafeBufferPointer(rebasing: buffer.bindMemory(to: UInt8.self)[start...]))
    }
  }
}

/// Formats `value` with exactly `digits` fraction digits, without Foundation.
///
/// Rounds half away from zero on the decimal value; NaN and infinities become empty text
/// (an empty CSV cell, `null` in JSON writers that check for it).
public func formatFixed(_ value: Double, digits: Int) -> String {
  var bytes: [UInt8] = []
  appendFixed(value, digits: digits, to: &bytes)
  return String(decoding: bytes, as: UTF8.self)
}

/// Appends the ``formatFixed(_:digits:)`` text of `value` to `bytes` (no String on the
/// way: CSV writers call this for every number cell).
func appendFixed(_ value: Double, digits: Int, to bytes: inout [UInt8]) {
  guard value.isFinite else { return }
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
  guard scaled < 9.0e18 else {
    bytes.append(contentsOf: Array(String(value).utf8))
    return
  }
  let whole = UInt64(scaled)
  let unit = UInt64(scale)
  if value < 0 && whole != 0 { bytes.append(UInt8(ascii: "-")) }
  // Digits right to left, the integer part and then (zero-padded) the fraction's.
  var integer = whole / unit
  let integerStart = bytes.count
  repeat {
    bytes.append(UInt8(ascii: "0") + UInt8(integer % 10))
    integer /= 10
  } while integer > 0
  bytes[integerStart..<bytes.count].reverse()
  if digits > 0 {
    bytes.append(UInt8(ascii: "."))
    var fraction = whole % unit
    let fractionStart = bytes.count
    for _ in 0..<digits {
      bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
      fraction /= 10
    }
    bytes[fractionStart..<bytes.count].reverse()
  }
}
