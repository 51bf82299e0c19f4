/// Runs the stages of a run one after another and times them for the manifest: per stage
/// its wall milliseconds (`stages_ms`) and the process's peak memory when it ended
/// (`peak_memory_mib`).
///
/// Between stages it hands freed memory back to the system (the next stage's peak then
/// stays near what is really in use) and stops the run when a signal asked it to.
struct StageClock {
  private(set) var milliseconds: [String: Int] = [:]
  private(set) var peakMiB: [String: Int] = [:]
  private var mark = ContinuousClock.now

  /// Runs `stage` on `input`, then records its time under its name.
  mutating func run<S: Stage>(_ stage: S, _ input: consuming S.Input) throws -> S.Output {
    let output = try stage.run(input)
    lap(S.name)
    MemoryUsage.releaseFreeMemory()
    try Cancellation.check()
    return output
  }

  /// Runs `body` as the step `name` (steps that are not one stage: the side-by-side
  /// analysis, writing outputs), then records its time.
  mutating func step<T>(_ name: String, _ body: () throws -> T) throws -> T {
    let result = try body()
    lap(name)
    try Cancellation.check()
    return result
  }

  /// Records the time of a job that ran inside a step, timed by itself.
  mutating func record(_ name: String, milliseconds elapsed: Int) {
    milliseconds[name] = elapsed
  }

  private mutating func lap(_ name: String) {
    let now = ContinuousClock.now
    milliseconds[name] = Self.milliseconds(mark.duration(to: now))
    if let peak = MemoryUsage.peakMiB() { peakMiB[name] = peak }
    mark = now
  }

  static func milliseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds * 1000)
      + Int(duration.components.attoseconds / 1_000_000_000_000_000)
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  /// The milliseconds `body` takes, beside its result.
  static func timed<T>(_ body: () throws -> T) rethrows -> Timed<T> {
    let begin = ContinuousClock.now
    let value = try body()
    return Timed(value: value, milliseconds: milliseconds(begin.duration(to: .now)))
  }
}

/// A value and the milliseconds it took to compute.
struct Timed<Value> {
  var value: Value
  var milliseconds: Int
}

extension Timed: Sendable where Value: Sendable {}
