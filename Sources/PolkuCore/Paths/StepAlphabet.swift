/// Maps events to compact step ids, and step ids back to labels.
///
/// Everything string-shaped is worked out once per distinct name before mining: grouping
/// rules and exclusions (regexes) and goal matches. Per event, finding its step is two
/// array reads: `label = labelOfName[name]`, and when steps are labelled by channel,
/// `step = label × channelStride + channel`. Step id 0 means "not a step" (identify events,
/// excluded names, events without a name).
struct StepAlphabet: Sendable {
  /// The grouped names (a name after path cleaning); label ids index this table.
  private(set) var labels = SymbolTable(capacity: 1024)
  /// For each name id of the run's ``EventTables/names``: its label id, 0 when excluded.
  private(set) var labelOfName: [UInt32] = []
  /// For each name id: the goals a page view of that name reaches (bit g = goal g).
  private(set) var pageGoals: [UInt64] = []
  /// For each name id: the goals a track event or contact of that name reaches.
  private(set) var eventGoals: [UInt64] = []
  /// For each step id, whether an exclusion matches its `channel:name` label (steps labelled
  /// by channel only, and only when one does: empty otherwise, and no step is looked up).
  private(set) var excludedSteps: [Bool] = []
  /// Whether steps are labelled `channel:name`.
  let byChannel: Bool
  /// The number of channel ids (including the reserved 0).
  let channelStride: Int
  private let channelNames: [String]

  init(spec: PathsSpec, goals: [GoalSpec], tables: EventTables) {
    let channelCount = max(1, tables.channels.count)
    channelStride = channelCount
    channelNames = [""] + tables.channels.strings
    switch spec.stepLabel {
    case .auto: byChannel = channelCount - 1 > 1
    case .name: byChannel = false
    case .channelName: byChannel = true
    }
    let rules: [(Regex<AnyRegexOutput>, String)] = spec.group.compactMap { rule in
      (try? Regex(rule.pattern)).map { ($0, rule.label) }
    }
    let exclusions: [Regex<AnyRegexOutput>] = spec.exclude.compactMap { try? Regex($0) }
    let names = tables.names
    labelOfName = [UInt32](repeating: 0, count: names.count)
    // Without rules, label ids follow name ids one-for-one: no regex and no string work.
    for id in 1..<max(names.count, 1) {
      if rules.isEmpty && exclusions.isEmpty {
        labelOfName[id] = names.withBytes(UInt32(id)) { labels.intern($0) }
        continue
      }
      let name = names.string(UInt32(id))
      var label = name
      for (regex, replacement) in rules where (try? regex.firstMatch(in: name)) != nil {
        label = replacement
        break
      }
      let excluded = exclusions.contains { regex in
        (try? regex.firstMatch(in: name)) != nil || (try? regex.firstMatch(in: label)) != nil
      }
      labelOfName[id] = excluded ? 0 : labels.intern(label)
    }
    // Exclusions are written from what the outputs show: with steps labelled by channel,
    // a pattern may name the channel too (`^web:[A-Z]`), so it is tried on each label with
    // each channel prefix as well as on the bare name and label.
    if byChannel && !exclusions.isEmpty {
      var excluded = [Bool](repeating: false, count: labels.count * channelCount)
      for label in 1..<max(labels.count, 1) {
        let text = labels.string(UInt32(label))
        for channel in 1..<channelCount {
          let labelled = channelNames[channel] + ":" + text
          if exclusions.contains(where: { (try? $0.firstMatch(in: labelled)) != nil }) {
            excluded[label * channelCount + channel] = true
          }
        }
      }
      if excluded.contains(true) { excludedSteps = excluded }
    }
    pageGoals = [UInt64](repeating: 0, count: names.count)
    eventGoals = [UInt64](repeating: 0, count: names.count)
    for (index, goal) in goals.prefix(64).enumerated() {
      let bit = UInt64(1) << UInt64(index)
      if let page = goal.page, let id = names.lookup(page) { pageGoals[Int(id)] |= bit }
      if let event = goal.event, let id = names.lookup(event) { eventGoals[Int(id)] |= bit }
    }
  }

  /// The step of `event`, or 0 when the event is not a step.
  @inline(__always)
  func step(of event: SessionEvent) -> UInt32 {
    if event.kind == .identify { return 0 }
    let name = Int(event.name)
    guard name < labelOfName.count else { return 0 }
    let label = labelOfName[name]
    if label == 0 || !byChannel { return label }
    let step = label &* UInt32(channelStride) &+ UInt32(event.channel)
    if !excludedSteps.isEmpty && excludedSteps[Int(step)] { return 0 }
    return step
  }

  /// The goals `event` matches (bit g = goal g).
  @inline(__always)
  func goals(of event: SessionEvent) -> UInt64 {
    let name = Int(event.name)
    guard name < pageGoals.count else { return 0 }
    switch event.kind {
    case .page: return pageGoals[name]
    case .track, .contact: return eventGoals[name]
    case .identify: return 0
    }
  }

  /// One more than the largest possible step id.
  var stepLimit: Int { byChannel ? labels.count * channelStride : labels.count }

  /// The label of `step`: the grouped name, prefixed by `channel:` when steps are labelled
  /// by channel and the event had a channel.
  func label(of step: UInt32) -> String {
    guard byChannel else { return labels.string(step) }
    let label = step / UInt32(channelStride)
    let channel = Int(step % UInt32(channelStride))
    let name = labels.string(label)
    return channel == 0 || channel >= channelNames.count ? name : channelNames[channel] + ":" + name
  }

  /// The step whose label is `text`, or 0 when no event can have that label.
  func step(labelled text: String) -> UInt32 {
    guard byChannel else { return labels.lookup(text) ?? 0 }
    for channel in 1..<max(channelNames.count, 1) {
      let prefix = channelNames[channel] + ":"
      if text.hasPrefix(prefix), let label = labels.lookup(String(text.dropFirst(prefix.count))) {
        return label &* UInt32(channelStride) &+ UInt32(channel)
      }
    }
    return labels.lookup(text).map { $0 &* UInt32(channelStride) } ?? 0
  }
}
