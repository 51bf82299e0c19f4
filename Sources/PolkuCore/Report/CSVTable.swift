/// A CSV file polku wrote, read back as a table of text cells (RFC 4180: quoted cells may
/// hold commas, doubled quotes and line breaks).
///
/// The report reads the published tables through this; they are small (top rows), so a
/// whole file is read at once. A row with fewer cells than the header is padded with empty
/// cells.
public struct CSVTable: Sendable, Equatable {
  public var header: [String]
  public var rows: [[String]]

  /// The table in `bytes`; an empty table when there is no header. Cells longer than
  /// `maxCellLength` characters are cut there, ending in `…` (a 10 KB page path would
  /// otherwise fill a report).
  public init(_ bytes: [UInt8], maxCellLength: Int = Int.max) {
    var records = CSVTable.records(bytes, maxCellLength: maxCellLength)
    header = records.isEmpty ? [] : records.removeFirst()
    let width = header.count
    rows = records.map {
      $0.count < width ? $0 + Array(repeating: "", count: width - $0.count) : $0
    }
  }

  /// The column called `name`, or nil.
  public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

  /// The cell of `row` in column `name` ("" when there is no such column).
  public func cell(_ row: [String], _ name: String) -> String {
    guard let index = column(name), index < row.count else { return "" }
    return row[index]
  }

  /// Every record of `bytes` as cells; blank lines are skipped.
  static func records(_ bytes: [UInt8], maxCellLength: Int = Int.max) -> [[String]] {
    var records: [[String]] = []
    var cells: [String] = []
    var cell: [UInt8] = []
    var quoted = false
    var index = 0
    var rowHasContent = false
    func endCell() {
      let text = String(decoding: cell, as: UTF8.self)
      cells.append(
        cell.count > maxCellLength && text.count > maxCellLength
          ? String(text.prefix(maxCellLength - 1)) + "…" : text)
      cell.removeAll(keepingCapacity: true)
    }
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      if quoted {
        if byte == 0x22 {
          if index < bytes.count && bytes[index] == 0x22 {
            cell.append(0x22)
            index += 1
          } else {
            quoted = false
          }
        } else {
          cell.append(byte)
        }
        continue
      }
      switch byte {
      case 0x22:
        quoted = true
        rowHasContent = true
      case 0x2C:
        endCell()
        rowHasContent = true
      case 0x0A:
        if rowHasContent || !cell.isEmpty {
          endCell()
          records.append(cells)
        }
        cells.removeAll(keepingCapacity: true)
        rowHasContent = false
      case 0x0D where index < bytes.count && bytes[index] == 0x0A:
        continue
      default:
        cell.append(byte)
        rowHasContent = true
      }
    }
    // A record cut inside a quoted cell (a file read in part) is dropped.
    if !quoted && (rowHasContent || !cell.isEmpty) {
      endCell()
      records.append(cells)
    }
    return records
  }
}
