/// How much memory a run may use (`--memory-limit`), and how much a night needs.
///
/// A run holds its whole night in memory; its peak comes in the analyse stage, at about
/// ``bytesPerEvent`` bytes an accepted event (measured: 67 at 20 M events, 71 at 100 M,
/// with 2 threads; see Benchmarks/README.md). Ingest counts accepted events against the
/// limit as it reads (``EventBudget``), so a night too large for the machine stops within
/// seconds of passing it, with a message that says so, instead of being killed by the
/// kernel's OOM killer minutes later with nothing but exit status 137.
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
  public let bytes: Int

  /// The model's bytes an accepted event at the run's peak (rounded up from 71).
  public static let bytesPerEvent = 80
  /// What a run holds whatever its size: the binary, thread stacks, buffers.
  public static let baseBytes = 64 << 20
  /// The share of the machine's (or the container's) memory a run may use by default.
  public static let defaultShare = 0.8

  public init(bytes: Int) {
    self.bytes = bytes
  }

  /// The events whose peak fits: what the ingest budget allows.
  public var maxEvents: Int { max(0, bytes - MemoryLimit.baseBytes) / MemoryLimit.bytesPerEvent }

  /// `SIZE` as given on the command line: bytes, or a number with `K`, `M`, `G` or `T`
  /// (powers of 1024; `KiB`, `MB`, `GiB` spellings too), or a percentage of the machine's
  /// memory (`50%`). Nil when malformed, zero or the machine's memory is unknown for `%`.
  public init?(parsing text: String, machineBytes: Int? = MemoryLimit.machineBytes()) {
    let trimmed = text.trimmingSpaces()
    if trimmed.hasSuffix("%") {
      guard let share = Double(trimmed.dropLast()), share > 0, share <= 100, let machineBytes
      else { return nil }
      self.init(bytes: Int(Double(machineBytes) * share / 100))
      return
    }
    let digits = trimmed.prefix { $0.isNumber || $0 == "." }
    var unit = trimmed.dropFirst(digits.count).uppercased()
    if unit.hasSuffix("IB") {
      unit.removeLast(2)
    } else if unit.hasSuffix("B") {
      unit.removeLast()
    }
    let shifts: [String: Int] = ["": 0, "K": 10, "M": 20, "G": 30, "T": 40]
    guard let value = Double(digits), value > 0, let shift = shifts[unit] else { return nil }
    let bytes = value * Double(1 << shift)
    guard bytes >= 1, bytes < Double(Int.max / 2) else { return nil }
    self.init(bytes: Int(bytes))
  }

  /// The default: ``defaultShare`` of the machine's memory, or of the container's limit
  /// when that is lower (cgroup v2 `memory.max`); nil (no limit) when neither is known.
  public static func standard() -> MemoryLimit? {
    machineBytes().map { MemoryLimit(bytes: Int(Double($0) * defaultShare)) }
  }

  /// The memory this process can have: `MemTotal`, or the cgroup's `memory.max` if lower.
  public static func machineBytes() -> Int? {
    var total: Int?
    if let bytes = try? FileBytes.read("/proc/meminfo") {
      for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n")
      where line.hasPrefix("MemTotal:") {
        total = Int(line.filter(\.isNumber)).map { $0 * 1024 }
      }
    }
    if let bytes = try? FileBytes.read("/sys/fs/cgroup/memory.max"),
      let cgroup = Int(String(decoding: bytes, as: UTF8.self).trimmingSpaces())
    {
      total = min(total ?? cgroup, cgroup)
    }
    return total
  }

  /// `12.3 GiB`, `512.0 MiB`.
  public var description: String { MemoryLimit.text(bytes) }

  static func text(_ bytes: Int) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) bytes" : "\(formatFixed(value, digits: 1)) \(units[unit])"
  }
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
  }
}
