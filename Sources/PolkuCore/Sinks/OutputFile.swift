/// One output file as built in memory: its name in the output folder, its bytes and its
/// data rows (a CSV header is not a row).
///
/// Stages return values; the builders in `Sinks/` turn them into `OutputFile`s, and
/// ``OutputFolder`` writes them into the staging folder with their manifest entries.
public struct OutputFile: Sendable {
  public var name: String
  public var bytes: [UInt8]
  public var rows: Int

  public init(name: String, bytes: [UInt8], rows: Int) {
    self.name = name
    self.bytes = bytes
    self.rows = rows
  }

  /// The file `name` holding the table `csv` built.
  public init(name: String, _ csv: borrowing CSVBuilder) {
    self.init(name: name, bytes: csv.bytes, rows: csv.rows)
  }

  /// The file's text (tests).
  public var text: String { String(decoding: bytes, as: UTF8.self) }
}
