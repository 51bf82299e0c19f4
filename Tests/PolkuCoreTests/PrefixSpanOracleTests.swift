import Testing

@testable import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The package root, found from this file's path (Tests/PolkuCoreTests/<file>).
private let packageRoot: String = {
  var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(3)
  return parts.joined(separator: "/")
}()

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

/// An oracle run that did not succeed.
struct OracleError: Error, CustomStringConvertible {
  var description: String
}

/// Runs `$PYTHON scripts/prefixspan_oracle.py ARGS` (default `python3`) with its output
/// sent to a private temp file (FoundationEssentials has no `Process`, so this is plain
/// `posix_spawnp`).
func runOracle(_ arguments: [String]) throws -> String {
  var template = Array("/tmp/polku-prefixspan-XXXXXX".utf8CString)
  let fd = template.withUnsafeMutableBufferPointer { buffer in
    buffer.baseAddress.map { mkstemp($0) } ?? -1
  }
  guard fd >= 0 else { throw OracleError(description: "mkstemp failed: errno \(errno)") }
  let outputPath = String(
    decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
  defer {
    close(fd)
    unlink(outputPath)
  }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_adddup2(&actions, fd, 1)
  let python =
    getenv("PYTHON").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    ?? "python3"
  let argv = [python, packageRoot + "/scripts/prefixspan_oracle.py"] + arguments
  var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
  defer { for arg in cArgs { free(arg) } }
  var pid: pid_t = 0
  let spawned = posix_spawnp(&pid, python, &actions, nil, &cArgs, environ)
  guard spawned == 0 else {
    throw OracleError(description: "cannot start \(python) (error \(spawned)); install Python 3")
  }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 {
    guard errno == EINTR else { throw OracleError(description: "waitpid: errno \(errno)") }
  }
  let exited = status & 0x7f == 0
  let code = (status >> 8) & 0xff
  guard exited && code == 0 else {
    throw OracleError(
      description: "oracle failed (status \(status)); is the PyPI package installed for "
        + "\(python)? make test installs it (pip install prefixspan)")
  }
  let bytes = try readWholeFile(outputPath)
  return String(decoding: bytes, as: UTF8.self)
}
