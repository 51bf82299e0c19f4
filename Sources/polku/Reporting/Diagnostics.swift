import ArgumentParser
import Logging
import PolkuCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Messages for people on stdout/stderr and the mapping of errors to exit statuses.
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

  /// Prints the error and exits with its code's status.
  static func fail(_ error: PolkuError) -> Never {
    warn("x \(error.description)")
    exit(error.code.exitStatus)
  }

  static func logger(quiet: Bool, format: LogFormat = .text) -> Logger {
    var logger = Logger(label: "polku") { label in
      switch format {
      case .text: StreamLogHandler.standardError(label: label)
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
