import ArgumentParser
import Logging
import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Messages for people on stdout/stderr and the mapping of errors to exit statuses.
///
/// Text that quotes input (paths, file names, values) goes through ``VisibleText`` before
/// it reaches the terminal: the error line here, the log handlers, and the callers of
/// ``say(_:)`` for what they quote.
enum Diagnostics {
  /// A line on standard output.
  static func say(_ text: String) {
    print(text)
  }

  /// A line on standard error (fd 2; `stderr` is not concurrency-safe in Swift 6).
  static func warn(_ text: String) {
    let line = Array((text + "\n").utf8)
    line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
  }

  /// Prints the error, control characters shown as escapes, and exits with its code's
  /// status. A config error lists one problem per line (its parts escaped where the
  /// message is made), so its line feeds are kept; any other message is one line.
  static func fail(_ error: PolkuError) -> Never {
    let text =
      error.code == .config
      ? VisibleText.escapedLines(error.description) : VisibleText.escaped(error.description)
    warn("x \(text)")
    exit(error.code.exitStatus)
  }

  static func logger(quiet: Bool, format: LogFormat = .text) -> Logger {
    var logger = Logger(label: "polku") { label in
      switch format {
      case .text: VisibleLogHandler(inner: StreamLogHandler.standardError(label: label))
      case .json: JSONLogHandler(label: label)
      }
    }
    logger.logLevel = quiet ? .error : .info
    return logger
  }
}

/// `--log-format`.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// The machine's core count, without Foundation's ProcessInfo.
enum ProcessInfoLite {
  static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
