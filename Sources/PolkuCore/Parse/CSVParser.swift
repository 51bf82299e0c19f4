/// Parses RFC 4180 CSV (or TSV, or any one-byte delimiter) with a header row into
/// ``RecordFields``.
///
/// - The first non-blank line is the header (`.skip`); a UTF-8 byte-order mark before it is
///   dropped. Columns are matched to fields by exact name; ``missingColumns`` lists mapped
///   names the header lacks, so the caller can reject the file.
/// - Blank lines (empty, or only spaces and `\r`) are `.skip`ped anywhere.
/// - A quoted cell may contain delimiters, `""` (one quote) and line breaks: when a line ends
///   inside an open quote the parser returns `.needsMore`, and the caller calls again with
///   `line + "\n" + nextLine`.
/// - `.bad(.invalidCSV)`: a row with more or fewer cells than the header, a quote inside an
///   unquoted cell, or anything but a delimiter after a closing quote. A header that is bad
///   in the same ways is reported the same way, and the next line is tried as the header.
/// - A raw NUL byte → `.bad(.nulByte)`.
/// - An empty cell (`,,` or `,"",`) leaves its field absent.
public struct CSVParser: LineParser, Sendable {
  /// The byte between cells (`,` for CSV, tab for TSV).
  public let delimiter: UInt8
  /// The header column each field is read from.
  public let columns: [Field: String]
  /// The header's column names, once the header line has been read.
  public private(set) var headerColumns: [String]?
  /// Mapped column names the header does not have (empty until the header is read).
  public private(set) var missingColumns: [String] = []
  /// For each header column, a bit per ``Field`` mapped to it.
  private var columnMasks: [UInt32] = []

  /// Creates a parser reading `columns` from a file with a header row.
  public init(delimiter: UInt8 = UInt8(ascii: ","), columns: [Field: String]) {
    self.delimiter = delimiter
    self.columns = columns
  }

  /// Reads the header from the first non-blank line, then one record per call.
  public mutating func parse(_ line: UnsafeBufferPointer<UInt8>, into fields: inout RecordFields)
    -> ParseOutcome
  {
    guard let base = line.baseAddress,
      line.contains(where: { $0 != 0x20 && $0 != 0x0D || $0 == delimiter })
    else { return .skip }
    if line.contains(0) { return .bad(.nulByte) }
    let row = CSVRow(base: base, count: line.count, delimiter: delimiter)
    guard headerColumns != nil else { return readHeader(row) }

    let masks = columnMasks
    let outcome = row.scan { column, cell, hasDoubledQuotes in
      guard column < masks.count, !cell.isEmpty else { return }
      var rest = masks[column]
      while rest != 0 {
        if let field = Field(rawValue: rest.trailingZeroBitCount) {
          if hasDoubledQuotes {
            fields.begin(field)
            row.appendUnquoted(cell, to: &fields)
            fields.end(field)
          } else {
            fields.set(field, row.slice(cell))
          }
        }
        rest &= rest - 1
      }
    }
    switch outcome {
    case .needsMore: return .needsMore
    case .invalid: return .bad(.invalidCSV)
    case .cells(let count): return count == masks.count ? .record : .bad(.invalidCSV)
    }
  }

  private mutating func readHeader(_ row: CSVRow) -> ParseOutcome {
    var names: [String] = []
    var row = row
    row.dropByteOrderMark()
    let outcome = row.scan { _, cell, hasDoubledQuotes in
      var bytes: [UInt8] = []
      if hasDoubledQuotes {
        var buffer = DecodedBytes()
        row.appendUnquoted(cell, to: &buffer)
        bytes = buffer.bytes
      } else {
        bytes = Array(row.slice(cell))
      }
      names.append(String(decoding: bytes, as: UTF8.self))
    }
    switch outcome {
    case .needsMore: return .needsMore
    case .invalid: return .bad(.invalidCSV)
    case .cells: break
    }
    headerColumns = names
    columnMasks = [UInt32](repeating: 0, count: names.count)
    var missing: [String] = []
    for (field, name) in columns.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      if let column = names.firstIndex(of: name) {
        columnMasks[column] |= 1 << UInt32(field.rawValue)
      } else if !missing.contains(name) {
        missing.append(name)
      }
    }
    missingColumns = missing
    return .skip
  }
}

/// The cells of one CSV record, found without copying.
struct CSVRow {
  var base: UnsafePointer<UInt8>
  var count: Int
  let delimiter: UInt8

  enum ScanOutcome {
    case cells(Int)
    case needsMore
    case invalid
  }

  private static let quote = UInt8(ascii: "\"")

  mutating func dropByteOrderMark() {
    if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
      base += 3
      count -= 3
    }
  }

  func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
  }

  /// Calls `cell(column, range, hasDoubledQuotes)` for each cell (inside the quotes for a
  /// quoted cell), then reports the cell count, or why there is no complete record.
  func scan(_ cell: (Int, Range<Int>, Bool) -> Void) -> ScanOutcome {
    var index = 0
    var column = 0
    while true {
      if index < count && base[index] == Self.quote {
        var scan = index + 1
        var doubled = false
        while true {
          while scan < count && base[scan] != Self.quote { scan += 1 }
          guard scan < count else { return .needsMore }
          if scan + 1 < count && base[scan + 1] == Self.quote {
            doubled = true
            scan += 2
          } else {
            break
          }
        }
        guard scan + 1 == count || base[scan + 1] == delimiter else { return .invalid }
        cell(column, (index + 1)..<scan, doubled)
        index = scan + 1
      } else {
        let start = index
        while index < count && base[index] != delimiter {
          if base[index] == Self.quote { return .invalid }
          index += 1
        }
        cell(column, start..<index, false)
      }
      column += 1
      if index >= count { return .cells(column) }
      index += 1  // the delimiter; a trailing one starts one more, empty, cell
    }
  }

  /// Appends a quoted cell's bytes with each `""` turned into `"`.
  func appendUnquoted<Sink: DecodedByteSink>(_ range: Range<Int>, to sink: inout Sink) {
    var index = range.lowerBound
    while index < range.upperBound {
      sink.append(base[index])
      index += base[index] == Self.quote ? 2 : 1
    }
  }
}
