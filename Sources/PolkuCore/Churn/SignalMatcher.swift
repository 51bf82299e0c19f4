/// Matches a run's events against the configured churn touchpoints and paths.
///
/// Built once per run from the run's ``EventTables``: each name id and channel id gets a
/// bit mask of the touchpoints it can match, so matching an event is two array loads and an
/// AND, with no string work per event.
struct SignalMatcher {
  /// Touchpoint bits matched by a page view of name id `i`.
  private var pageMask: [UInt64]
  /// Touchpoint bits matched by a track event or contact of name id `i`.
  private var eventMask: [UInt64]
  /// Touchpoints that match any name (channel-only touchpoints).
  private var anyName: UInt64 = 0
  /// Touchpoint bits allowed on channel id `i`.
  private var channelMask = [UInt64](repeating: 0, count: 256)
  /// Name ids of each path's steps; nil when a step never occurs in the run.
  private var pathSteps: [[UInt32]?]
  private var sequence: [UInt32] = []

  init(spec: ChurnSpec, tables: EventTables) {
    pageMask = [UInt64](repeating: 0, count: tables.names.count)
    eventMask = pageMask
    for (index, touchpoint) in spec.touchpoints.prefix(64).enumerated() {
      let bit = UInt64(1) << UInt64(index)
      if let page = touchpoint.page {
        if let id = tables.names.lookup(page) { pageMask[Int(id)] |= bit }
      } else if let event = touchpoint.event {
        if let id = tables.names.lookup(event) { eventMask[Int(id)] |= bit }
      } else {
        anyName |= bit
      }
      if let channel = touchpoint.channel {
        if let id = tables.channels.lookup(channel), id < 256 { channelMask[Int(id)] |= bit }
      } else {
        for c in 0..<256 { channelMask[c] |= bit }
      }
    }
    pathSteps = spec.paths.map { path in
      var ids: [UInt32] = []
      for step in path.steps {
        guard let id = tables.names.lookup(step) else { return nil }
        if ids.last != id { ids.append(id) }
      }
      return ids
    }
  }

  /// The bits of the touchpoints `event` matches.
  func touchpoints(_ event: SessionEvent) -> UInt64 {
    let name = Int(event.name)
    let byName: UInt64
    switch event.kind {
    case .page: byName = (name < pageMask.count ? pageMask[name] : 0) | anyName
    case .track, .contact: byName = (name < eventMask.count ? eventMask[name] : 0) | anyName
    case .identify: return 0
    }
    return byName & channelMask[Int(event.channel)]
  }

  /// The bits of the paths that occur, as contiguous steps, in one session's events.
  mutating func pathHits(_ events: ArraySlice<SessionEvent>) -> UInt64 {
    guard pathSteps.contains(where: { $0 != nil }) else { return 0 }
    sequence.removeAll(keepingCapacity: true)
    for event in events where event.kind != .identify && event.name != 0 {
      if sequence.last != event.name { sequence.append(event.name) }
    }
    var hits: UInt64 = 0
    for (index, steps) in pathSteps.enumerated() {
      guard let steps, steps.count <= sequence.count, index < 64 else { continue }
      var start = 0
      search: while start + steps.count <= sequence.count {
        for offset in 0..<steps.count where sequence[start + offset] != steps[offset] {
          start += 1
          continue search
        }
        hits |= UInt64(1) << UInt64(index)
        break
      }
    }
    return hits
  }
}
