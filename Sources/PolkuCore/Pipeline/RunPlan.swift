/// What a run will do, worked out before any work starts: the day window, the folder it
/// publishes to, the input files, and what `--state` will record as folded.
///
/// Everything here can fail on the command line's or the pipeline's account (a bad
/// `--date`, no input files, too many), so a run that cannot start fails before it takes
/// a lock or reads a byte.
struct RunPlan: Sendable {
  let options: RunOptions
  /// `--date`: the day whose events are kept.
  let window: DayWindow?
  /// The folder published to: `OUT`, or `OUT/dt=DAY` with `--date`.
  let target: String
  /// The input files, resolved from files, folders and globs.
  let files: [String]
  /// What the state remembers as folded, with `--state`: the day for `--date` runs
  /// (nightly jobs often point at a folder holding every day's files, so files would
  /// overlap from night to night), else the input files themselves.
  let fingerprints: [InputFingerprint]

  var spec: PipelineSpec { options.pipeline.spec }

  init(_ options: RunOptions) throws {
    self.options = options
    let window = try options.date.map {
      try DayWindow(date: $0, timeZone: options.pipeline.spec.partitions.timeZone)
    }
    self.window = window
    target = window.map { "\(options.outputDirectory)/dt=\($0.date)" } ?? options.outputDirectory
    let files = try options.mapParts?.files ?? InputFiles.resolve(options.inputs)
    guard !files.isEmpty else {
      throw PolkuError(
        .noInput, "no input files in \(options.inputs.joined(separator: " ")) (empty folder?)")
    }
    guard files.count <= Int(UInt16.max) else {
      throw PolkuError(.usage, "\(files.count) input files; at most 65535 per run")
    }
    self.files = files
    fingerprints =
      options.statePath == nil
      ? []
      : window.map { [InputFingerprint(path: "dt=\($0.date)", size: 0, hash: "day \($0.date)")] }
        ?? options.mapParts?.fingerprints ?? files.map(InputFiles.fingerprint)
  }
}
