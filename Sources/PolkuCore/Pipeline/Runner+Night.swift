extension Runner {
  /// The sessions a run publishes, and what it keeps for the next night.
  struct NightSessions: Sendable {
    /// The published sessions (held ones taken out).
    var sessionized: SessionizeStage.Output
    /// The night's cut: the end of the `--date` day, else the latest event.
    var cut: Int64
    /// With `--state`: the sessions still open at the cut, for the next night.
    var held: HeldSessions
    /// With `--state` and `identity: stitched`: the identity table after tonight.
    var identities: StateCarry.Identities?
  }

  /// Sessionises tonight's events (last night's held sessions in front), then, with
  /// `--state`, holds the sessions open at the cut (``HeldSessions``) and, when stitching,
  /// brings the identity table up to date (``IdentityTable``).
  static func sessionize(
    _ input: consuming SessionizeStage.Input, plan: RunPlan, carry: StateCarry,
    clock: inout StageClock
  ) throws -> NightSessions {
    let statePath = plan.options.statePath
    let seen =
      statePath != nil && plan.spec.sessions.identity == .stitched
      ? IdentityTable.Night.seenTimes(input.events, idCount: input.tables.ids.count)
      : ([], [])
    var sessionized = try clock.run(
      SessionizeStage(
        spec: plan.spec, threads: plan.options.threads, keepsTails: statePath != nil),
      input)
    let cut = plan.window?.end ?? ChurnStage.latestEventTime(in: sessionized.run)
    guard let statePath else {
      return NightSessions(sessionized: sessionized, cut: cut, held: HeldSessions())
    }
    let held = HeldSessions.take(
      from: &sessionized.run, cut: cut, gapSeconds: plan.spec.sessions.gapSeconds)
    let identities = try sessionized.stitcher.map { stitcher in
      try carry.identities(
        after: IdentityTable.Night(
          run: sessionized.run, stitcher: stitcher, seen: seen, cut: cut),
        windowDays: plan.spec.churn.windowDays, statePath: statePath)
    }
    return NightSessions(sessionized: sessionized, cut: cut, held: held, identities: identities)
  }
}
