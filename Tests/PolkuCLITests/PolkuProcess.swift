import CZlib
import PolkuCore
import Testing

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How one run of the `polku` binary ended, with everything it printed.
struct ProcessResult {
  /// The exit status, or nil when a signal ended the process.
  var status: Int32?
  /// The signal that ended the process, if one did.
  var signal: Int32?
  var stdout: String
  var stderr: String

  /// The exit statuses polku documents; anything else (or a signal) is a crash.
  static let documented: Set<Int32> = [0, 64, 65, 66, 74, 75, 78, 130]

  var isCleanExit: Bool { signal == nil && status.map(Self.documented.contains) == true }
}

/// Runs the `polku` binary that `swift test` built (`.build/debug/polku`).
enum PolkuBinary {
  /// The package root: three levels above this file (`Tests/PolkuCLITests/…`).
  static let packageRoot: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
  }()

  static var path: String { "\(packageRoot)/.build/debug/polku" }

  /// Runs polku with `arguments`; stdout and stderr go to files in `scratch`. With
  /// `fileSizeLimitKB`, runs it through `sh` with `ulimit -f` and SIGXFSZ ignored, so a
  /// write past the limit fails with EFBIG as a full disk fails with ENOSPC. A non-empty
  /// `environment` (shell assignments, `A=1 B=2`) is set for polku the same way.
  static func run(
    _ arguments: [String], scratch: Scratch, fileSizeLimitKB: Int? = nil,
    environment: String = ""
  ) throws -> ProcessResult {
    try #require(access(path, X_OK) == 0, "\(path) is missing: run `swift build` first")
    var argv = [path] + arguments
    if let limit = fileSizeLimitKB {
      // bash and dash both count `ulimit -f` in 1024-byte blocks.
      argv =
        ["/bin/sh", "-c", "trap '' XFSZ; ulimit -f \(limit); \(environment) exec \"$0\" \"$@\""]
        + argv
    } else if !environment.isEmpty {
      argv = ["/bin/sh", "-c", "\(environment) exec \"$0\" \"$@\""] + argv
    }
    let pid = try spawn(argv, scratch: scratch, tag: "std")
    return try wait(pid, scratch: scratch, tag: "std")
  }
}

extension PolkuBinary {
  /// Starts polku without waiting; stdout/stderr go to `<tag>.out`/`<tag>.err` in `scratch`.
  static func start(_ arguments: [String], scratch: Scratch, tag: String) throws -> pid_t {
    try #require(access(path, X_OK) == 0, "\(path) is missing: run `swift build` first")
    return try spawn([path] + arguments, scratch: scratch, tag: tag)
  }

  static func spawn(_ argv: [String], scratch: Scratch, tag: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(
      &actions, 1, scratch.path("\(tag).out"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(
      &actions, 2, scratch.path("\(tag).err"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var cArguments = argv.map { strdup($0) }
    defer { for argument in cArguments { free(argument) } }
    cArguments.append(nil)
    var pid = pid_t()
    let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
    try #require(spawned == 0, "posix_spawn \(argv[0]): \(String(cString: strerror(spawned)))")
    return pid
  }

  /// Waits for `pid` and returns how it ended, with what it printed.
  static func wait(_ pid: pid_t, scratch: Scratch, tag: String) throws -> ProcessResult {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      try #require(errno == EINTR, "waitpid: \(String(cString: strerror(errno)))")
    }
    let signal = status & 0x7F
    return ProcessResult(
      status: signal == 0 ? (status >> 8) & 0xFF : nil, signal: signal == 0 ? nil : signal,
      stdout: scratch.text(scratch.path("\(tag).out")),
      stderr: scratch.text(scratch.path("\(tag).err")))
  }
}

/// A temp folder of one test (tests run in parallel), removed when the value goes away.
final class Scratch {
  let root: String

  init() throws {
    var template = Array("/tmp/polku-hostile-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
    }
    root = try #require(made, "mkdtemp: \(String(cString: strerror(errno)))")
  }

  deinit { OutputFolder.removeTree(root) }

  /// The absolute path of `name` inside the folder.
  func path(_ name: String) -> String { "\(root)/\(name)" }

  /// Writes `bytes` to `name` (creating folders on the way) and returns its path.
  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    let target = path(name)
    if let slash = target.lastIndex(of: "/") {
      try OutputFolder.makeDirectories(String(target[..<slash]))
    }
    try FileBytes.write(bytes, to: target)
    return target
  }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    try write(name, Array(text.utf8))
  }

  /// Makes an empty folder and returns its path.
  func folder(_ name: String) throws -> String {
    try OutputFolder.makeDirectories(path(name))
    return path(name)
  }

  /// The names in the folder itself, hidden ones included.
  func names() -> [String] {
    guard let directory = opendir(root) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      names.append(
        withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        })
    }
    return names
  }

  func text(_ file: String) -> String {
    String(decoding: (try? FileBytes.read(file)) ?? [], as: UTF8.self)
  }

  /// A JSON Lines pipeline reading `ts`, `anon`, `user` and `path`, where no bad-row ratio
  /// fails the run (the hostile tests count bad rows themselves).
  func pipeline(maxBadRowRatio: Double = 1) throws -> String {
    try write(
      "pipeline.json",
      """
      {"version": 1, "name": "hostile",
       "inputs": [{"name": "events", "format": "jsonl",
                   "fields": {"timestamp": "ts", "anonymous_id": "anon", "user_id": "user",
                              "page": "path"}}],
       "quality": {"max_bad_row_ratio": \(maxBadRowRatio)}}
      """)
  }

  /// Reads `summary.json` from the output folder `out`.
  func summary(_ out: String) throws -> SummaryFile {
    try JSONDecoder().decode(SummaryFile.self, from: Data(FileBytes.read("\(out)/summary.json")))
  }
}

/// The parts of `summary.json` the hostile-input tests check.
struct SummaryFile: Decodable {
  struct Events: Decodable {
    var read: Int
    var accepted: Int
    var filtered: [String: Int]
    var rejected: [String: Int]
    var rejectedTotal: Int
    var skipped: Int
    var sessionized: Int

    enum CodingKeys: String, CodingKey {
      case read, accepted, filtered, rejected, skipped, sessionized
      case rejectedTotal = "rejected_total"
    }
  }

  var inputs: Int
  var inputsDamaged: Int
  var events: Events
  var sessions: Int
  var visitors: Int

  enum CodingKeys: String, CodingKey {
    case inputs, events, sessions, visitors
    case inputsDamaged = "inputs_damaged"
  }
}

/// Test data: valid events, gzip, and zlib's own view of damaged gzip.
enum Hostile {
  /// A valid event line; `visitor` makes each line its own visitor (and so one session).
  static func line(_ visitor: String, minute: Int = 0) -> String {
    let time = "2024-05-01T10:\(minute < 10 ? "0" : "")\(minute % 60):00Z"
    return #"{"ts":"\#(time)","anon":"\#(visitor)","path":"/p/\#(visitor.count % 7)"}"#
  }

  /// `count` valid lines of distinct visitors named `prefix-n`, each ending in `\n`.
  static func lines(_ prefix: String, count: Int) -> [String] {
    (1...count).map { line("\(prefix)-\($0)", minute: $0 % 60) + "\n" }
  }

  /// What zlib inflates from `gzip` before the first error (all of it when none).
  static func inflatedPrefix(_ gzip: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    guard polku_inflateInit2(&stream, 15 + 16) == Z_OK else { return [] }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    var input = gzip
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    input.withUnsafeMutableBufferPointer { input in
      stream.next_in = input.baseAddress
      stream.avail_in = UInt32(input.count)
      while true {
        let (status, produced) = buffer.withUnsafeMutableBufferPointer { out in
          stream.next_out = out.baseAddress
          stream.avail_out = UInt32(out.count)
          let status = inflate(&stream, Z_NO_FLUSH)
          return (status, out.count - Int(stream.avail_out))
        }
        output += buffer[0..<produced]
        if status != Z_OK || (produced == 0 && stream.avail_in == 0) { return }
      }
    }
    return output
  }
}
