import PolkuCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A one-line progress bar on stderr over compressed bytes read, with rate and ETA.
///
/// Drawn only when stderr is a terminal and the run is not `--quiet`; at most 5 times a
/// second, whatever thread reports progress.
final class ProgressBar: Sendable {
  private let started = ContinuousClock.now
  private let lastDraw = Mutex<Int64>(0)

  static var isTerminal: Bool { isatty(2) == 1 }

  func update(done: Int, total: Int) {
    let elapsed = started.duration(to: .now)
    let elapsedMs =
      elapsed.components.seconds * 1000
      + elapsed.components.attoseconds / 1_000_000_000_000_000
    let draw = lastDraw.withLock { last -> Bool in
      guard elapsedMs - last >= 200 || done >= total else { return false }
      last = elapsedMs
      return true
    }
    guard draw, total > 0 else { return }
    let fraction = min(1, Double(done) / Double(total))
    let width = 30
    let filled = Int(fraction * Double(width))
    let seconds = max(0.001, Double(elapsedMs) / 1000)
    let rate = Double(done) / seconds / 1_048_576
    let eta = fraction > 0 ? seconds / fraction - seconds : 0
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let line =
      "\r[\(bar)] \(formatFixed(fraction * 100, digits: 1)) %  "
      + "\(formatFixed(rate, digits: 1)) MB/s  ETA \(Int(eta.rounded())) s   "
    let bytes = Array(line.utf8)
    bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
  }

  func finish() {
    let bytes = Array("\r\u{1B}[K".utf8)
    bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
  }
}
