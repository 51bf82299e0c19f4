import Testing

@testable import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The public sequence sets (BMS-WebView-1 and MSNBC in SPMF format), when present.
private let seqDataDirectory: String? =
  RealData.path("seqdata/BMS1_spmf.txt") != nil && RealData.path("seqdata/MSNBC.txt") != nil
  ? RealData.path("seqdata") : nil

/// Compares the miner with the PyPI package `prefixspan` (an independent implementation)
/// on public click-stream data: the full pattern sets and supports must be identical.
///
/// Disabled only when the shared data is absent (a checkout without `shared/`); a missing
/// `python3` or `prefixspan` package fails the test (`make test` installs the package;
/// `PYTHON` names another interpreter, a venv's say).
@Suite(
  .enabled(
    if: seqDataDirectory != nil,
    "needs shared/realdata/seqdata beside the package root (public BMS1 and MSNBC sets)"))
struct PrefixSpanOracleTests {
  @Test(arguments: [
    ("BMS1_spmf.txt", 0.005), ("BMS1_spmf.txt", 0.002), ("BMS1_spmf.txt", 0.001),
    ("MSNBC.txt", 0.05), ("MSNBC.txt", 0.02),
  ])
  func sameFrequentPatternsAsPyPIPrefixSpan(file: String, fraction: Double) throws {
    let path = (seqDataDirectory ?? "") + "/" + file
    let database = try SequenceDatabase(spmfFile: path)
    let minimum = PrefixSpan.absoluteSupport(fraction: fraction, sequences: database.count)
    let ours = PrefixSpan(minSupport: minimum).mine(database)
    let theirs = try runOracle([path, String(minimum)])
    expectSame(ours.canonicalText(), theirs, label: "\(file) at \(minimum)")
    #expect(ours.count > 100)
  }

  @Test func sameClosedPatternsAsPyPIPrefixSpan() throws {
    let path = (seqDataDirectory ?? "") + "/BMS1_spmf.txt"
    let database = try SequenceDatabase(spmfFile: path)
    let minimum = PrefixSpan.absoluteSupport(fraction: 0.002, sequences: database.count)
    let ours = PrefixSpan(minSupport: minimum, closedOnly: true).mine(database)
    let theirs = try runOracle([path, String(minimum), "--closed"])
    expectSame(ours.canonicalText(), theirs, label: "closed BMS1 at \(minimum)")
  }

  private func expectSame(_ ours: String, _ theirs: String, label: String) {
    let a = ours.split(separator: "\n")
    let b = theirs.split(separator: "\n")
    #expect(a.count == b.count, "\(label): \(a.count) patterns vs \(b.count) from prefixspan")
    if let index = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) {
      Issue.record("\(label): first difference at line \(index): \(a[index]) vs \(b[index])")
    }
  }
}

/// Runs `$PYTHON scripts/prefixspan_oracle.py ARGS` (``runPythonTool(_:_:package:)``).
func runOracle(_ arguments: [String]) throws -> String {
  try runPythonTool("prefixspan_oracle.py", arguments, package: "prefixspan")
}
