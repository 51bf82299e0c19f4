import ArgumentParser
import PolkuCore

/// `polku mine-patterns`: runs the sequential pattern miner on an SPMF sequence file.
///
/// Used by `Benchmarks/prefixspan/bench-prefixspan.sh` to time the miner on the public
/// BMS-WebView and MSNBC sets; prints the pattern count and the mining time measured with
/// the monotonic clock (reading the file is timed separately).
struct MinePatterns: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mine-patterns",
    abstract: "Mine frequent sequential patterns (PrefixSpan) from an SPMF sequence file.",
    shouldDisplay: false
  )

  @Option(name: .long, help: "An SPMF sequence file (item -1 item -1 ... -2 per line).")
  var spmf: String

  @Option(
    name: .customLong("min-support"),
    help: "Sequences a pattern must be in: a fraction 0 < f < 1 (ceil(f × sequences)) or a count.")
  var minSupport: Double

  @Option(name: .customLong("max-length"), help: "The longest pattern to mine (0 = no limit).")
  var maxLength: Int = 0

  @Flag(name: .long, help: "Report only closed patterns.")
  var closed = false

  @Option(name: .long, help: "Worker threads (0 = one per CPU).")
  var threads: Int = 0

  @Flag(name: .long, help: "Print every pattern (support<TAB>items, sorted by items).")
  var print = false

  func validate() throws {
    guard minSupport > 0 && (minSupport < 1 || minSupport == minSupport.rounded()) else {
      throw ValidationError("--min-support must be a fraction 0 < f < 1 or a whole count >= 1")
    }
  }

  func run() throws {
    let clock = ContinuousClock()
    let readStart = clock.now
    let database: SequenceDatabase
    do {
      database = try SequenceDatabase(spmfFile: spmf)
    } catch let error as PolkuError {
      Swift.print(error.description)
      throw ExitCode(error.code.exitStatus)
    }
    let readTime = clock.now - readStart
    let minimum =
      minSupport < 1
      ? PrefixSpan.absoluteSupport(fraction: minSupport, sequences: database.count)
      : Int(minSupport)
    let miner = PrefixSpan(
      minSupport: minimum, maxLength: maxLength, closedOnly: closed, threads: threads)
    let mineStart = clock.now
    let patterns = miner.mine(database)
    let mineTime = clock.now - mineStart
    if print {
      Swift.print(patterns.canonicalText(), terminator: "")
      return
    }
    Swift.print("sequences: \(database.count)")
    Swift.print("min_support: \(minimum)")
    Swift.print("patterns: \(patterns.count)")
    Swift.print("read_seconds: \(seconds(readTime))")
    Swift.print("mine_seconds: \(seconds(mineTime))")
  }

  private func seconds(_ duration: Duration) -> String {
    let (whole, attoseconds) = duration.components
    return formatFixed(Double(whole) + Double(attoseconds) / 1e18, digits: 4)
  }
}
