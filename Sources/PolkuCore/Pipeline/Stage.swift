/// One step of a run: a value in, a value out.
///
/// Every stage of `polku run` has this shape: ``IngestStage`` (files → events and string
/// tables), ``SessionizeStage`` (events → sessions per visitor), ``PathsStage`` and
/// ``ChurnStage`` (sessions → tables as values). A stage holds its configuration, returns
/// values and writes no output file: `Sinks/` turns values into files, and the
/// ``Runner`` composes stages through ``StageClock/run(_:_:)``, which times each one
/// under its ``name``.
///
/// Where a stage aggregates, the work inside it has the shape of an ``Aggregation``
/// (create, add, merge, extract), so partial results computed per thread, per file or per
/// partition merge into the same result.
public protocol Stage: Sendable {
  associatedtype Input
  associatedtype Output

  /// A short snake_case name: the stage's key in the manifest's `stages_ms` and
  /// `peak_memory_mib`, and in logs.
  static var name: String { get }

  /// Runs the stage. `input` is consumed: a stage may free what it no longer needs.
  ///
  /// Throws a ``PolkuError`` for a condition that stops the run; a bad input line is not
  /// one (it is counted and quarantined).
  func run(_ input: consuming Input) throws -> Output
}
