import Synchronization

/// A process-wide stop request, set from a signal handler and polled by the stages.
///
/// Setting an atomic flag is async-signal-safe; workers check it every few thousand
/// lines and between stages, and the run then fails with ``PolkuError/Code/interrupted``
/// after removing its staging folder, leaving previous outputs and state as they were.
public enum Cancellation {
  private static let flag = Atomic<Int32>(0)

  /// Asks every running stage to stop; `signal` is remembered for the message.
  public static func request(signal: Int32) {
    flag.store(signal, ordering: .relaxed)
  }

  /// The signal that asked for a stop, or 0.
  public static var requested: Int32 { flag.load(ordering: .relaxed) }

  /// Throws when a stop was requested.
  public static func check() throws {
    let signal = requested
    if signal != 0 {
      throw PolkuError(.interrupted, "stopped by signal \(signal); previous outputs kept")
    }
  }

  /// Clears the flag (tests).
  public static func reset() { flag.store(0, ordering: .relaxed) }
}
