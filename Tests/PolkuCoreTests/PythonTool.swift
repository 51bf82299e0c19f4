@testable import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An oracle run that did not succeed.
struct OracleError: Error, CustomStringConvertible {
  var description: String
}

/// Runs `$PYTHON scripts/SCRIPT ARGS` (default `python3`), a test-only tool that needs the
/// PyPI `package`, and returns its standard output. The output goes to a private temp file
/// (FoundationEssentials has no `Process`, so this is plain `posix_spawnp`).
func runPythonTool(_ script: String, _ arguments: [String], package: String) throws -> String {
  var template = Array("/tmp/polku-python-tool-XXXXXX".utf8CString)
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
  let argv = [python, URLPath.packageRoot + "/scripts/" + script] + arguments
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
      description: "\(script) failed (status \(status)); is the PyPI package \(package) "
        + "installed for \(python)? make test installs it (pip install \(package))")
  }
  let bytes = try readWholeFile(outputPath)
  return String(decoding: bytes, as: UTF8.self)
}
