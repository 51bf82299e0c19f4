import Logging

/// What `polku run` was asked to do.
public struct RunOptions: Sendable {
  public var pipeline: LoadedPipeline
  /// Files, folders and globs as given on the command line.
  public var inputs: [String]
  /// The folder the outputs are published to (replaced as a whole).
  public var outputDirectory: String
  /// Worker threads for ingest and sessionising.
  public var threads: Int
  /// `--date`: keep only that day's events and publish to `OUT/dt=DATE/`.
  public var date: String?
  /// `--metrics-file`: also write `metrics.prom` here (a textfile-collector folder).
  public var metricsFile: String?
  /// `--state`: the per-customer history folder churn reads and updates.
  public var statePath: String?
  public var logger: Logger
  /// Called from worker threads with (compressed bytes read so far, total bytes).
  public var progress: (@Sendable (Int, Int) -> Void)?
  /// `polku merge`: the input files as map tasks read them on a cluster, used instead of
  /// reading `inputs`.
  public var mapParts: MapParts?
  /// `--memory-limit`: the run stops, publishing nothing, once its night is too large for
  /// it (``MemoryLimit``); nil: no limit.
  public var memoryLimit: MemoryLimit?
  /// `--date FROM..TO`: the input files' time ranges, shared by the backfill's nights, so
  /// that a night reads only the files with records on its day (see ``FileProfiles``).
  public var fileProfiles: FileProfiles?

  public init(
    pipeline: LoadedPipeline, inputs: [String], outputDirectory: String, threads: Int,
    date: String? = nil, metricsFile: String? = nil, statePath: String? = nil,
    logger: Logger = Logger(label: "polku"), progress: (@Sendable (Int, Int) -> Void)? = nil,
    mapParts: MapParts? = nil
  ) {
    self.mapParts = mapParts
    self.date = date
    self.metricsFile = metricsFile
    self.statePath = statePath
    self.pipeline = pipeline
    self.inputs = inputs
    self.outputDirectory = outputDirectory
    self.threads = threads
    self.logger = logger
    self.progress = progress
  }
}
