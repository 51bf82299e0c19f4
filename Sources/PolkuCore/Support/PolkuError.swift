/// An error that stops a run, with a code that maps onto a process exit status.
///
/// Bad input lines are not errors (they are quarantined as bad rows); a `PolkuError`
/// is for conditions where the run cannot produce complete, correct output.
public struct PolkuError: Error, CustomStringConvertible, Sendable {
  /// The kind of failure; each kind has its own exit status (sysexits.h).
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
      case usage, dataQuality, noInput, io, config, interrupted, locked, resources
    }
    private let kind: Kind

    /// Wrong command-line arguments (exit 64).
    public static let usage = Code(kind: .usage)
    /// Too many bad rows (exit 65).
    public static let dataQuality = Code(kind: .dataQuality)
    /// No input files, or none readable (exit 66).
    public static let noInput = Code(kind: .noInput)
    /// Reading or writing failed (exit 74).
    public static let io = Code(kind: .io)
    /// The pipeline file is invalid (exit 78).
    public static let config = Code(kind: .config)
    /// Stopped by SIGINT or SIGTERM (exit 130).
    public static let interrupted = Code(kind: .interrupted)
    /// Another run holds the lock on the output (exit 75, temporary failure).
    public static let locked = Code(kind: .locked)
    /// The run needs more memory than `--memory-limit` allows (exit 71, as sysexits'
    /// EX_OSERR: a system resource the run needs is not there).
    public static let resources = Code(kind: .resources)

    /// The process exit status for this code.
    public var exitStatus: Int32 {
      switch kind {
      case .usage: 64
      case .dataQuality: 65
      case .noInput: 66
      case .io: 74
      case .locked: 75
      case .resources: 71
      case .config: 78
      case .interrupted: 130
      }
    }

    public var description: String {
      switch kind {
      case .usage: "usage"
      case .dataQuality: "data quality"
      case .noInput: "no input"
      case .io: "I/O"
      case .locked: "locked"
      case .resources: "resources"
      case .config: "config"
      case .interrupted: "interrupted"
      }
    }
  }

  public var code: Code
  /// What went wrong and, where possible, how to fix it.
  public var message: String
  /// The underlying error, if any.
  public var cause: (any Error & Sendable)?

  public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  public var description: String {
    var text = "\(code) error: \(message)"
    if let cause { text += " (cause: \(cause))" }
    return text
  }
}
