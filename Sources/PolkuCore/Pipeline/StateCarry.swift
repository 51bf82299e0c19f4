/// `--state` across nights: the customer history churn folds into, and the sessions last
/// night held (open at its cut), whose events go in front of tonight's.
///
/// Without `--state` it holds an empty history and carries nothing.
struct StateCarry: Sendable {
  /// The history as loaded.
  let state: CustomerState
  /// The open session tails this run starts from: last night's, or, when the night
  /// folded last is run again, the ones that night started from (so a re-run gives the
  /// same outputs).
  let startTails: [UInt8]
  /// Whether the carried sessions' first events were already folded into churn the night
  /// they were carried from (a state saved before sessions were held; see
  /// ``SessionTails/Saved/held``).
  let carriedWereFolded: Bool
  /// Whether this run re-runs the night folded last.
  let rerun: Bool

  /// The identity table after tonight (`identity: stitched` with `--state`) and the
  /// visitors it identified.
  struct Identities: Sendable {
    var table: IdentityTable
    var identified: IdentityTable.Identified
  }

  init(_ plan: RunPlan) throws {
    state = try plan.options.statePath.map { try CustomerState.load(from: $0) } ?? CustomerState()
    let saved = SessionTails.Saved(state.sessionTails)
    let folded = state.folded
    let rerun =
      !plan.fingerprints.isEmpty
      && plan.fingerprints.allSatisfy { input in
        folded.contains { $0.input.sameContent(as: input) }
      }
    startTails = rerun ? saved.previous : saved.next
    carriedWereFolded = !saved.held
    self.rerun = rerun
  }

  /// The state's identity table with `night` applied.
  func identities(after night: IdentityTable.Night, windowDays: Int, statePath: String) throws
    -> Identities
  {
    let table = try IdentityTable(
      tsv: state.identities, file: "\(statePath)/\(CustomerState.identitiesFile)")
    let applied = table.applying(night, rerun: rerun, windowDays: windowDays)
    return Identities(table: applied.table, identified: applied.identified)
  }

  /// Appends the carried events to tonight's (their strings to the tables) and returns
  /// how many were carried.
  ///
  /// Last: of a carried event and tonight's copy of it, the sessioniser keeps the one that
  /// sorts first, and ties go by input position.
  func carry(into input: inout SessionizeStage.Input) throws -> Int {
    let carried = try SessionTails.inject(startTails, into: &input.tables)
    if !carried.isEmpty { input.events.append(EventChunk(carried)) }
    return carried.count
  }

  /// `folded` (the churn stage's output state) with tonight's held sessions (and identity
  /// table) to save, when this run folded anything (a night folded before keeps the tails it had).
  func next(
    _ folded: CustomerState, holding held: HeldSessions, identities: Identities?
  ) -> CustomerState {
    var next = folded
    guard folded.folded.count != state.folded.count else { return next }
    next.sessionTails =
      SessionTails.Saved(previous: startTails, next: held.tails, held: true).bytes
    if let identities { next.identities = identities.table.tsv }
    return next
  }
}
