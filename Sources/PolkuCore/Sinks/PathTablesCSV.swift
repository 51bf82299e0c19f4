/// Writes the path tables as CSV: `journeys.csv`, `goal_paths.csv`, `funnels.csv`,
/// `transitions.csv` and `patterns.csv`.
///
/// Steps in a cell are joined with ` > `; shares and rates have 4 decimals; times are
/// seconds with 1 decimal, an empty cell when there is no median. ``PathMiner`` documents
/// the columns' meaning. Text cells are guarded against formulas unless
/// `guardingFormulas` is false (``CSVBuilder``).
public enum PathTablesCSV {
  /// The five files, in the order above.
  public static func files(_ tables: PathTables, guardingFormulas: Bool = true) -> [OutputFile] {
    let guarding = guardingFormulas
    return [
      journeys(tables, guardingFormulas: guarding),
      goalPaths(tables.goalPaths, guardingFormulas: guarding),
      funnels(tables.funnels, guardingFormulas: guarding),
      transitions(tables.transitions, guardingFormulas: guarding),
      patterns(tables.patterns, guardingFormulas: guarding),
    ]
  }

  /// `journeys.csv`, with a `_conversions` and a `_rate` column per goal slot.
  static func journeys(_ tables: PathTables, guardingFormulas: Bool) -> OutputFile {
    var header = ["steps", "length", "support", "occurrences", "share"]
    for name in tables.goalNames { header += ["\(name)_conversions", "\(name)_rate"] }
    header.append("median_seconds")
    var csv = CSVBuilder(header: header, guardingFormulas: guardingFormulas)
    for row in tables.journeys {
      csv.cell(joining: row.steps, separator: " > ")
      csv.cell(row.steps.count)
      csv.cell(row.support)
      csv.cell(row.occurrences)
      csv.cell(row.share, digits: 4)
      for goal in row.goals {
        csv.cell(goal.conversions)
        csv.cell(goal.rate, digits: 4)
      }
      csv.cell(row.medianSeconds, digits: 1)
      csv.endRow()
    }
    return OutputFile(name: "journeys.csv", csv)
  }

  /// `goal_paths.csv`; the `(other)` row has an empty `steps` cell.
  static func goalPaths(_ rows: [PathTables.GoalPath], guardingFormulas: Bool) -> OutputFile {
    var csv = CSVBuilder(
      header: ["goal", "path", "steps", "conversions", "share", "median_seconds_to_goal"],
      guardingFormulas: guardingFormulas)
    for row in rows {
      csv.cell(row.goal)
      if let path = row.path {
        csv.cell(joining: path, separator: " > ")
        csv.cell(row.steps)
      } else {
        csv.cell("(other)")
        csv.emptyCell()
      }
      csv.cell(row.conversions)
      csv.cell(row.share, digits: 4)
      csv.cell(row.medianSecondsToGoal, digits: 1)
      csv.endRow()
    }
    return OutputFile(name: "goal_paths.csv", csv)
  }

  /// `funnels.csv`.
  static func funnels(_ rows: [PathTables.FunnelStep], guardingFormulas: Bool) -> OutputFile {
    var csv = CSVBuilder(
      header: [
        "funnel", "count", "step_index", "step", "reached", "dropped", "conversion_from_start",
        "conversion_from_previous", "median_seconds_from_previous",
      ], guardingFormulas: guardingFormulas)
    for row in rows {
      csv.cell(row.funnel)
      csv.cell(row.count)
      csv.cell(row.index)
      csv.cell(row.step)
      csv.cell(row.reached)
      csv.cell(row.dropped)
      csv.cell(row.conversionFromStart, digits: 4)
      csv.cell(row.conversionFromPrevious, digits: 4)
      csv.cell(row.medianSecondsFromPrevious, digits: 1)
      csv.endRow()
    }
    return OutputFile(name: "funnels.csv", csv)
  }

  /// `transitions.csv`.
  static func transitions(_ rows: [PathTables.Transition], guardingFormulas: Bool) -> OutputFile {
    var csv = CSVBuilder(
      header: ["source", "target", "count", "share"], guardingFormulas: guardingFormulas)
    for row in rows {
      csv.cell(row.source)
      csv.cell(row.target)
      csv.cell(row.count)
      csv.cell(row.share, digits: 4)
      csv.endRow()
    }
    return OutputFile(name: "transitions.csv", csv)
  }

  /// `patterns.csv` (only the header when patterns are disabled).
  static func patterns(_ rows: [PathTables.Pattern], guardingFormulas: Bool) -> OutputFile {
    var csv = CSVBuilder(
      header: ["pattern", "length", "support", "share"], guardingFormulas: guardingFormulas)
    for row in rows {
      csv.cell(joining: row.steps, separator: " > ")
      csv.cell(row.steps.count)
      csv.cell(row.support)
      csv.cell(row.share, digits: 4)
      csv.endRow()
    }
    return OutputFile(name: "patterns.csv", csv)
  }
}

extension PathReport {
  /// The CSV files of ``tables`` (``PathTablesCSV/files(_:)``), built on each call.
  public var files: [OutputFile] { PathTablesCSV.files(tables) }

  /// The bytes of the CSV file called `name`, or nil.
  public func bytes(of name: String) -> [UInt8]? {
    files.first { $0.name == name }?.bytes
  }

  /// The text of the CSV file called `name` (tests), or nil.
  public func text(of name: String) -> String? {
    bytes(of: name).map { String(decoding: $0, as: UTF8.self) }
  }
}
