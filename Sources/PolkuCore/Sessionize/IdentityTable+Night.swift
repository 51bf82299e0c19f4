extension IdentityTable.Night {
  /// First and last event time per anonymous id (index = id in the run's tables) of
  /// `events`, before sessionising consumes them; `Int64.max` / `Int64.min` when unseen.
  static func seenTimes(_ events: [EventChunk], idCount: Int) -> (
    first: [Int64], last: [Int64]
  ) {
    var first = [Int64](repeating: Int64.max, count: idCount + 1)
    var last = [Int64](repeating: Int64.min, count: idCount + 1)
    for chunk in events {
      for event in chunk.events where event.anonymousId != 0 {
        let id = Int(event.anonymousId)
        if event.time < first[id] { first[id] = event.time }
        if event.time > last[id] { last[id] = event.time }
      }
    }
    return (first, last)
  }

  /// The night of a stitched run: the anonymous ids seen (`seen`, from ``seenTimes``),
  /// the users the stitcher maps them to, and the published sessions keyed by an
  /// anonymous id (held sessions are not published yet).
  init(
    run: SessionizedRun, stitcher: IdentityStitcher, seen: (first: [Int64], last: [Int64]),
    cut: Int64
  ) {
    self.init()
    self.cut = cut
    let ids = run.tables.ids
    for id in seen.first.indices where seen.first[id] <= seen.last[id] {
      let anonymousId = ids.string(UInt32(id))
      self.seen[anonymousId] = (seen.first[id], seen.last[id])
      if id < stitcher.userOf.count, stitcher.userOf[id] != 0 {
        userOf[anonymousId] = ids.string(stitcher.userOf[id])
      }
    }
    for batch in run.batches {
      for session in batch.sessions where !session.visitor.isUser {
        anonymousSessions[ids.string(session.visitor.id), default: 0] += 1
      }
    }
  }
}
