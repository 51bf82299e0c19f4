import PolkuCore

#if canImport(Glibc)
  import Glibc
#endif

/// SIGINT and SIGTERM ask the run to stop; a second one ends the process at once.
enum Signals {
  static func install() {
    let handler: @convention(c) (Int32) -> Void = { signal in
      if Cancellation.requested != 0 { _exit(128 + signal) }
      Cancellation.request(signal: signal)
    }
    signal(SIGINT, handler)
    signal(SIGTERM, handler)
  }
}
