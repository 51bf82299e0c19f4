#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The result of a run that produced and published its outputs.
public struct RunResult: Sendable {
  public var summary: RunSummary
  public var manifest: Manifest
  public var warnings: [String]
}

/// Runs a pipeline end to end: ingest → sessionise → outputs, published atomically.
///
/// Stages: ingest (parallel per file) → stitch and partition by visitor → sessionise
/// (parallel per partition) → write every output into a staging folder → swap it into
/// place. Bad lines are quarantined; the run fails (``PolkuError/Code/dataQuality``)
/// without touching the previous output when they exceed `quality.max_bad_row_ratio`.
public enum Runner {
  public static func run(_ options: RunOptions) throws -> RunResult {
    let clock = ContinuousClock()
    let started = clock.now
    do {
      return try runStages(options, clock: clock, started: started)
    } catch let error as PolkuError {
      if let path = options.metricsFile {
        let elapsed = started.duration(to: clock.now)
        try? Metrics.publish(
          Metrics.text(
            pipeline: options.pipeline.spec.name, summary: nil,
            wallSeconds: seconds(elapsed), finishedAtMs: nowMillis(), failure: error),
          to: path)
      }
      throw error
    }
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  static func milliseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds * 1000)
      + Int(duration.components.attoseconds / 1_000_000_000_000_000)
  }

  static func nowMillis() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
  }

  static func runStages(
    _ options: RunOptions, clock: ContinuousClock, started: ContinuousClock.Instant
  ) throws -> RunResult {
    let startedAt = nowMillis()
    var stages: [String: Int] = [:]
    var peakMiB: [String: Int] = [:]
    func lap(_ name: String, since: ContinuousClock.Instant) -> ContinuousClock.Instant {
      let now = clock.now
      let elapsed = since.duration(to: now)
      stages[name] =
        Int(elapsed.components.seconds * 1000)
        + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
      if let peak = MemoryUsage.peakMiB() { peakMiB[name] = peak }
      return now
    }
    let spec = options.pipeline.spec
    let logger = options.logger

    let window = try options.date.map {
      try DayWindow(date: $0, timeZone: spec.partitions.timeZone)
    }
    let target =
      window.map { "\(options.outputDirectory)/dt=\($0.date)" }
      ?? options.outputDirectory
    let files = try InputFiles.resolve(options.inputs)
    guard !files.isEmpty else {
      throw PolkuError(
        .noInput, "no input files in \(options.inputs.joined(separator: " ")) (empty folder?)")
    }
    guard files.count <= Int(UInt16.max) else {
      throw PolkuError(.usage, "\(files.count) input files; at most 65535 per run")
    }
    logger.info("reading \(files.count) file(s) with \(options.threads) thread(s)")

    let lock = try RunLock(for: target)
    defer { lock.release() }
    let stateLock = try options.statePath.map { try RunLock(for: $0) }
    defer { stateLock?.release() }
    let output = try OutputFolder(target: target)
    do {
      var mark = clock.now
      let ingest = try Ingest(
        options: options, files: files, staging: output.staging, window: window
      ).run()
      mark = lap("ingest", since: mark)
      MemoryUsage.releaseFreeMemory()
      try Cancellation.check()
      if ingest.inputs.allSatisfy({ $0.status == "skipped" }) {
        let patterns = spec.inputs.compactMap(\.files).joined(separator: ", ")
        throw PolkuError(
          .noInput,
          "none of the \(files.count) input file(s) matches an input of the pipeline "
            + "(files patterns: \(patterns)); first file: \(files[0])")
      }
      var warnings = ingest.warnings
      for warning in warnings { logger.warning("\(warning)") }
      // Inputs so damaged that not one line came out: publishing would replace yesterday's
      // outputs with empty ones, and exit 0 would tell cron all is well.
      let damaged = ingest.inputs.filter { $0.status == "damaged" }
      if ingest.counters.linesRead == 0, let first = damaged.first {
        throw PolkuError(
          .dataQuality,
          "no line could be read: \(damaged.count) of \(files.count) input file(s) damaged "
            + "before their first line (\(first.path): \(first.damage ?? "damaged")); "
            + "previous outputs kept")
      }

      let counters = ingest.counters
      let ratio =
        counters.linesRead == 0
        ? 0 : Double(counters.rejectedTotal) / Double(counters.linesRead)
      if ratio > spec.quality.maxBadRowRatio {
        let kept = output.siblingPath("failed.bad_rows.jsonl")
        _ = try? concatenate(ingest.badRowFiles, into: kept)
        throw PolkuError(
          .dataQuality,
          "\(counters.rejectedTotal) of \(counters.linesRead) lines rejected "
            + "(\(formatFixed(ratio * 100, digits: 2)) %), over quality.max_bad_row_ratio "
            + "\(spec.quality.maxBadRowRatio); previous outputs kept; rejected lines in \(kept)")
      }

      // With --state, last night's open sessions go in front of tonight's events.
      var state = try options.statePath.map { try CustomerState.load(from: $0) } ?? CustomerState()
      var tables = ingest.tables
      var events = ingest.events
      // What the state remembers as folded: the day for --date runs (nightly jobs often
      // point at a folder holding every day's files, so files would overlap from night
      // to night), else the input files themselves.
      let fingerprints: [InputFingerprint] =
        options.statePath == nil
        ? []
        : window.map { [InputFingerprint(path: "dt=\($0.date)", size: 0, hash: "day \($0.date)")] }
          ?? files.map(InputFiles.fingerprint)
      let saved = SessionTails.Saved(state.sessionTails)
      // Re-running the night folded last: start from the tails that night started from.
      let rerun =
        !fingerprints.isEmpty
        && fingerprints.allSatisfy { input in
          state.folded.contains { $0.input.sameContent(as: input) }
        }
      let startTails = rerun ? saved.previous : saved.next
      let carried = try SessionTails.inject(startTails, into: &tables)
      // Last: of a carried event and tonight's copy of it, the sessioniser keeps the one
      // that sorts first, and ties go by input position.
      if !carried.isEmpty { events.append(EventChunk(carried)) }

      let sessionized = try Sessionize(
        spec: spec, threads: options.threads, keepsTails: options.statePath != nil
      ).run(
        events: events, tables: tables)
      mark = lap("sessionize", since: mark)
      MemoryUsage.releaseFreeMemory()
      try Cancellation.check()

      var outputs: [Manifest.Output] = []
      func emit(_ name: String, _ bytes: [UInt8], rows: Int) throws {
        outputs.append(try Runner.write(name, bytes, rows: rows, in: output))
      }

      // Path mining, churn and the sessions table read the same sessions and do not
      // depend on each other: run them side by side.
      let run = sessionized.run
      let batchEnd = window?.end ?? ChurnStage.latestEventTime(in: run)
      let stateBefore = state
      let threads = options.threads
      let sessionsPath = output.path("sessions.csv")
      let (pathsResult, churnResult, sessionsResult) = try concurrently(
        threads: threads,
        { () -> (PathReport, Int) in
          let begin = ContinuousClock.now
          var miner = PathMiner(spec: spec.paths, goals: spec.goals, tables: run.tables)
          miner.threads = threads
          let report = miner.mine(run)
          return (report, milliseconds(begin.duration(to: .now)))
        },
        { () -> (ChurnReport, CustomerState, Int, ChurnSideWork) in
          let begin = ContinuousClock.now
          var state = stateBefore
          let foldedBefore = state.folded.count
          var report = try ChurnStage(spec: spec.churn, goals: spec.goals).run(
            run, state: &state, inputs: fingerprints, now: batchEnd)
          var churnFiles = ChurnTablesCSV.files(report, spec: spec.churn, goals: spec.goals)
          // Only the files and the summary are written: free the per-customer rows while
          // path mining (usually the longest job) still runs.
          report.customers = []
          if state.folded.count != foldedBefore {
            state.sessionTails =
              SessionTails.Saved(
                previous: startTails,
                next: SessionTails.collect(
                  run, batchEnd: batchEnd, gapSeconds: spec.sessions.gapSeconds)
              ).bytes
          }
          MemoryUsage.releaseFreeMemory()
          let elapsed = milliseconds(begin.duration(to: .now))
          // Churn is the shortest job: it also writes its own files, gathers the bad rows
          // and computes the run summary, which used to wait for the slowest job.
          let churnOutputs = try churnFiles.map { file in
            try Runner.write(file.name, file.bytes, rows: file.rows, in: output)
          }
          churnFiles = []
          let side = ChurnSideWork(
            churnOutputs: churnOutputs,
            badRows: try concatenate(ingest.badRowFiles, into: output.path("bad_rows.jsonl")),
            summary: makeSummary(
              spec: spec, ingest: ingest, sessionized: sessionized, ratio: ratio))
          return (report, state, elapsed, side)
        },
        { () -> (Manifest.Output, Int) in
          // The largest output: build, write and checksum it while the others run.
          let begin = ContinuousClock.now
          let entry = try SessionsTable.write(run, to: sessionsPath, threads: threads)
          MemoryUsage.releaseFreeMemory()
          return (entry, milliseconds(begin.duration(to: .now)))
        })
      let paths = pathsResult.0
      let churn = churnResult.0
      state = churnResult.1
      stages["paths"] = pathsResult.1
      stages["churn"] = churnResult.2
      stages["sessions_table"] = sessionsResult.1
      mark = lap("analyse", since: mark)
      try Cancellation.check()

      outputs.append(sessionsResult.0)
      let side = churnResult.3
      outputs.append(
        Manifest.Output(
          file: "bad_rows.jsonl", rows: counters.rejectedTotal, bytes: side.badRows.bytes,
          sha256: side.badRows.sha256))

      for file in PathTablesCSV.files(paths.tables) {
        try emit(file.name, file.bytes, rows: file.rows)
      }
      outputs += side.churnOutputs
      var summary = side.summary
      summary.churn = churn.summary
      summary.paths = paths.summary
      summary.events.carried = carried.count
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      let summaryBytes = Array(try encoder.encode(summary)) + [10]
      try emit("summary.json", summaryBytes, rows: 1)
      mark = lap("write", since: mark)
      try Cancellation.check()

      let finishedAt = nowMillis()
      let elapsed = started.duration(to: clock.now)
      let metrics = Metrics.text(
        pipeline: spec.name, summary: summary, wallSeconds: seconds(elapsed),
        finishedAtMs: finishedAt)
      try FileBytes.write(Array(metrics.utf8), to: output.path("metrics.prom"))
      let manifest = Manifest(
        polkuVersion: PolkuVersion.current,
        startedAt: TimestampParser.formatISO8601(startedAt),
        finishedAt: TimestampParser.formatISO8601(finishedAt),
        wallSeconds: seconds(elapsed),
        threads: options.threads,
        pipeline: Manifest.PipelineInfo(
          path: options.pipeline.path, name: spec.name, sha256: options.pipeline.sha256),
        inputs: ingest.inputs, outputs: outputs, stagesMs: stages, peakMemoryMiB: peakMiB,
        warnings: warnings,
        state: options.statePath.map { path in
          Manifest.StateInfo(
            path: path, alreadyFolded: churn.summary.alreadyFolded,
            sessionsFolded: churn.summary.sessionsFolded,
            anonymousSessions: churn.summary.anonymousSessions,
            newCustomers: churn.summary.newCustomers)
        })
      try FileBytes.write(
        Array(try encoder.encode(manifest)) + [10], to: output.path("manifest.json"))
      try Cancellation.check()
      try output.publish()
      if let statePath = options.statePath { try state.save(to: statePath) }
      if let path = options.metricsFile { try Metrics.publish(metrics, to: path) }
      warnings = manifest.warnings
      logger.info(
        "wrote \(summary.sessions) sessions of \(summary.visitors) visitors to \(output.target)")
      return RunResult(summary: summary, manifest: manifest, warnings: warnings)
    } catch {
      output.discard()
      throw error
    }
  }

  /// Joins the per-file bad-row parts in input order and removes them.
  /// Writes one output file into the staging folder and returns its manifest entry.
  static func write(_ name: String, _ bytes: [UInt8], rows: Int, in output: OutputFolder) throws
    -> Manifest.Output
  {
    try FileBytes.write(bytes, to: output.path(name))
    return Manifest.Output(file: name, rows: rows, bytes: bytes.count, sha256: SHA256.hex(bytes))
  }

  /// What the churn job does besides churn once its report is built (see ``runStages``).
  struct ChurnSideWork: Sendable {
    var churnOutputs: [Manifest.Output]
    var badRows: (bytes: Int, sha256: String)
    var summary: RunSummary
  }

  static func concatenate(_ parts: [String], into path: String) throws -> (
    bytes: Int, sha256: String
  ) {
    let file = try BufferedFile(creating: path)
    var hasher = SHA256()
    var total = 0
    for part in parts {
      guard let bytes = try? FileBytes.read(part) else { continue }
      hasher.update(bytes)
      total += bytes.count
      try file.append(bytes)
      OutputFolder.removeTree(part)
    }
    try file.close()
    return (total, hasher.hexDigest())
  }

  /// Sorts session durations (seconds, never negative) with a radix sort when they fit in
  /// 32 bits, which they do unless sessions last for over a century.
  static func sortDurations(_ durations: inout [Int64]) {
    guard durations.allSatisfy({ $0 >= 0 && $0 <= Int64(UInt32.max) }) else {
      durations.sort()
      return
    }
    var packed = durations.map { UInt64($0) << 32 }
    RadixSort.sortByHighWord(&packed)
    for index in packed.indices { durations[index] = Int64(packed[index] >> 32) }
  }

  static func makeSummary(
    spec: PipelineSpec, ingest: Ingest.Output, sessionized: Sessionize.Output, ratio: Double
  ) -> RunSummary {
    let run = sessionized.run
    let tables = run.tables
    var durations: [Int64] = []
    durations.reserveCapacity(run.sessionCount)
    var bounces = 0
    var events = 0
    var visitors = 0
    var isUser = [Bool](repeating: false, count: tables.ids.count)
    var users = 0
    var perChannel = [Int](repeating: 0, count: 64)
    var perGoal = [Int](repeating: 0, count: spec.goals.count)
    var first = Int64.max
    var last = Int64.min
    for batch in run.batches {
      var previous: VisitorKey?
      for session in batch.sessions {
        durations.append(session.durationSeconds)
        if session.isBounce { bounces += 1 }
        events += Int(session.eventCount)
        if session.visitor != previous { visitors += 1 }
        previous = session.visitor
        if session.user != 0 && !isUser[Int(session.user)] {
          isUser[Int(session.user)] = true
          users += 1
        }
        var channels = session.channels
        while channels != 0 {
          perChannel[channels.trailingZeroBitCount] += 1
          channels &= channels - 1
        }
        var reached = session.goals
        while reached != 0 {
          let goal = reached.trailingZeroBitCount
          if goal < perGoal.count { perGoal[goal] += 1 }
          reached &= reached - 1
        }
        first = min(first, session.start)
        last = max(last, session.end)
      }
    }
    sortDurations(&durations)
    var channels: [String: Int] = [:]
    for channel in 1..<min(tables.channels.count, 64) where perChannel[channel] > 0 {
      channels[tables.channels.string(UInt32(channel))] = perChannel[channel]
    }
    var goals: [String: Int] = [:]
    for (index, goal) in spec.goals.enumerated() { goals[goal.name] = perGoal[index] }
    let counters = ingest.counters
    let sessions = durations.count
    return RunSummary(
      pipeline: spec.name,
      inputs: ingest.inputs.count,
      inputsDamaged: ingest.inputs.filter { $0.status == "damaged" }.count,
      events: RunSummary.Events(
        read: counters.linesRead, accepted: counters.accepted,
        duplicates: sessionized.duplicates, identify: sessionized.identifyEvents,
        filtered: counters.filtered,
        rejected: Dictionary(uniqueKeysWithValues: counters.rejected.map { ($0.rawValue, $1) }),
        rejectedTotal: counters.rejectedTotal, skipped: counters.skipped, sessionized: events),
      firstEvent: sessions > 0 ? TimestampParser.formatISO8601(first) : nil,
      lastEvent: sessions > 0 ? TimestampParser.formatISO8601(last) : nil,
      visitors: visitors, users: users, sessions: sessions,
      identity: RunSummary.Identity(
        mode: spec.sessions.identity.rawValue,
        stitchedAnonymousIds: sessionized.stitcher?.stitchedAnonymousIds ?? 0,
        anonymousIdsWithSeveralUsers: sessionized.stitcher?.anonymousIdsWithSeveralUsers ?? 0,
        junkIds: counters.junkIds),
      sessionDurationS: RunSummary.Durations(
        median: RunSummary.percentile(durations, 0.5),
        p90: RunSummary.percentile(durations, 0.9),
        mean: sessions > 0
          ? RunSummary.round6(Double(durations.reduce(0, +)) / Double(sessions)) : 0),
      bounceRate: sessions > 0 ? RunSummary.round6(Double(bounces) / Double(sessions)) : 0,
      sessionsPerChannel: channels, goals: goals, badRowRatio: RunSummary.round6(ratio))
  }
}
