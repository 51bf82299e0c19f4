/// What path mining produced: the tables as values and the `paths` part of `summary.json`.
///
/// The stage writes no files: ``PathTablesCSV`` turns ``tables`` into the CSV files.
public struct PathReport: Sendable {
  /// The rows of `journeys.csv`, `goal_paths.csv`, `funnels.csv`, `transitions.csv` and
  /// `patterns.csv`.
  public var tables: PathTables
  /// The part that goes under `"paths"` in `summary.json`.
  public var summary: PathSummary

  /// A report from its parts.
  public init(tables: PathTables, summary: PathSummary) {
    self.tables = tables
    self.summary = summary
  }
}
