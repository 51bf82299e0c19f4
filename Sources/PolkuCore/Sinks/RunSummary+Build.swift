extension RunSummary {
  /// The summary of a run from its stages' values, without its `paths` and `churn`
  /// sections (filled in once those stages end) nor `events.carried`.
  init(
    spec: PipelineSpec, ingested: IngestStage.Output, sessionized: SessionizeStage.Output,
    stats: SessionStats.Result, badRowRatio: Double
  ) {
    let tables = sessionized.run.tables
    var channels: [String: Int] = [:]
    for channel in 1..<min(tables.channels.count, 64) where stats.perChannel[channel] > 0 {
      channels[tables.channels.string(UInt32(channel))] = stats.perChannel[channel]
    }
    var goals: [String: Int] = [:]
    for (index, goal) in spec.goals.enumerated() {
      goals[goal.name] = index < stats.perGoal.count ? stats.perGoal[index] : 0
    }
    let counters = ingested.counters
    let sessions = stats.sessions
    let stitcher = sessionized.stitcher
    self.init(
      pipeline: spec.name,
      inputs: ingested.inputs.count,
      inputsDamaged: ingested.inputs.filter { $0.status == .damaged }.count,
      events: Events(
        read: counters.linesRead, accepted: counters.accepted,
        duplicates: sessionized.duplicates, identify: sessionized.identifyEvents,
        filtered: Dictionary(uniqueKeysWithValues: counters.filtered.map { ($0.rawValue, $1) }),
        rejected: Dictionary(uniqueKeysWithValues: counters.rejected.map { ($0.rawValue, $1) }),
        rejectedTotal: counters.rejectedTotal, skipped: counters.skipped,
        sessionized: stats.events),
      firstEvent: sessions > 0 ? TimestampParser.formatISO8601(stats.first) : nil,
      lastEvent: sessions > 0 ? TimestampParser.formatISO8601(stats.last) : nil,
      visitors: stats.visitors, users: stats.users, sessions: sessions,
      identity: Identity(
        mode: spec.sessions.identity.rawValue,
        stitchedAnonymousIds: stitcher?.stitchedAnonymousIds ?? 0,
        anonymousIdsWithSeveralUsers: stitcher?.anonymousIdsWithSeveralUsers ?? 0,
        junkIds: counters.junkIds),
      sessionDurationS: Durations(
        median: stats.durations.percentile(0.5), p90: stats.durations.percentile(0.9),
        mean: sessions > 0
          ? RunSummary.round6(Double(stats.durations.sum) / Double(sessions)) : 0),
      bounceRate: sessions > 0 ? RunSummary.round6(Double(stats.bounces) / Double(sessions)) : 0,
      sessionsPerChannel: channels, goals: goals, badRowRatio: RunSummary.round6(badRowRatio),
      distributions: SessionDistributions(stats) { channel in
        channel >= 1 && channel < tables.channels.count
          ? tables.channels.string(UInt32(channel)) : nil
      })
  }
}
