/// Turns parsed fields into an ``Event`` with ids in per-file tables: one per ingest worker.
///
/// Everything that depends only on a distinct value (page normalisation, exclusion, bot
/// detection, event-name filters) is computed once per value and cached by its local id,
/// so the per-event work is hashing and table lookups.
struct EventBuilder {
  enum Result {
    case event(Event)
    case filtered(FilterReason)
    case bad(BadRowReason)
  }

  private let input: InputSpec
  private let timestampFormat: TimestampFormat
  private let normalizer: PageNormalizer
  private let excludePages: [Regex<AnyRegexOutput>]
  private let botNeedles: [[UInt8]]
  private let excludeEvents: Set<String>
  private let excludeStatusFrom: Int
  /// Junk id values, lower-case, as bytes.
  private let junkIds: [[UInt8]]
  private let longestJunkId: Int
  private let defaultChannel: UInt8
  private let window: DayWindow?
  private let pageCache: PageNameCache

  /// The file's own string tables; merged into the run's tables after ingest.
  private(set) var tables = EventTables()
  private var rawPages = SymbolTable(capacity: 1024)
  /// Normalised name id per raw page id; `excluded` when the page is filtered out.
  private var pageNames: [UInt32] = [0]
  /// Bot verdicts by the user agent's 64-bit hash (agents are long; hashing beats interning).
  private var botAgents = HashVerdicts()
  /// Per name id: 0 unknown, 1 kept, 2 excluded event name.
  private var eventNameVerdict: [UInt8] = [0]
  private(set) var junkIdsSeen = 0
  /// Records whose time parsed (valid and in range): those a `--date` window judges.
  private(set) var timedRecords = 0
  /// The earliest and latest of those times (`Int64.max` / `Int64.min` while none).
  private(set) var earliest = Int64.max
  private(set) var latest = Int64.min

  private static let excluded = UInt32.max

  /// `pageCache` is shared by the files of one run (see ``PageNameCache``).
  init(
    input: InputSpec, pipeline: PipelineSpec, window: DayWindow?,
    pageCache: PageNameCache = PageNameCache()
  ) throws {
    self.input = input
    self.pageCache = pageCache
    self.window = window
    timestampFormat = TimestampFormat(rawValue: input.timestampFormat) ?? .auto
    normalizer = try PageNormalizer(spec: pipeline.pages)
    excludePages = try pipeline.filters.excludePages.map { try Regex($0) }
    botNeedles = pipeline.filters.botUserAgents.map { Array($0.lowercased().utf8) }
    excludeEvents = Set(pipeline.filters.excludeEvents)
    excludeStatusFrom = input.format == .accessLog ? pipeline.filters.excludeStatusFrom : 0
    junkIds = pipeline.sessions.junkIds.map { Array($0.lowercased().utf8) }
    longestJunkId = junkIds.map(\.count).max() ?? -1
    tables = EventBuilder.initialTables(for: input)
    defaultChannel = UInt8(truncatingIfNeeded: tables.channels.intern(input.channel))
  }

  /// The tables of a file none of whose events is kept: only the input's channel.
  static func initialTables(for input: InputSpec) -> EventTables {
    var tables = EventTables()
    _ = tables.channels.intern(input.channel)
    return tables
  }

  mutating func build(_ fields: RecordFields) -> Result {
    // Time.
    guard
      let stamp = fields.withValue(
        .timestamp, { TimestampParser.parse($0, format: timestampFormat) })
    else { return .bad(.missingTimestamp) }
    let time: Int64
    switch stamp {
    case .millis(let value): time = value
    case .invalid: return .bad(.invalidTimestamp)
    case .outOfRange: return .bad(.timestampOutOfRange)
    }

    timedRecords &+= 1
    if time < earliest { earliest = time }
    if time > latest { latest = time }
    if let window, !window.contains(time) { return .filtered(.outsideDate) }

    // Kind.
    let kind: EventKind
    let typeText = fields.withValue(.type) { EventBuilder.kind(of: $0) } ?? nil
    if let typeText {
      kind = typeText
    } else if fields.has(.event) {
      kind = input.channel == "web" || input.channel == "app" ? .track : .contact
    } else if fields.has(.page) {
      kind = .page
    } else {
      kind = .identify
    }
    if !excludeEvents.isEmpty, let typeName = fields.string(.type), excludeEvents.contains(typeName)
    {
      return .filtered(.event)
    }

    // Filters on values that repeat: status, user agent.
    if excludeStatusFrom > 0,
      let status = fields.withValue(.status, { EventBuilder.integer($0) }) ?? nil,
      status >= excludeStatusFrom
    {
      return .filtered(.status)
    }
    if !botNeedles.isEmpty,
      let isBot = fields.withValue(.userAgent, { agent in isBotAgent(agent) }), isBot
    {
      return .filtered(.bot)
    }

    // Ids.
    var badUTF8 = false
    let anonymousId = fields.withValue(.anonymousId) { internId($0, &badUTF8) } ?? 0
    let userId = fields.withValue(.userId) { internId($0, &badUTF8) } ?? 0
    if badUTF8 { return .bad(.invalidUTF8) }
    if anonymousId == 0 && userId == 0 { return .bad(.missingVisitor) }

    // Name.
    var name: UInt32 = 0
    switch kind {
    case .page:
      guard let page = fields.withValue(.page, { pageName($0) }) else {
        return .bad(.missingPage)
      }
      if page == EventBuilder.excluded { return .filtered(.asset) }
      if page == EventBuilder.invalid { return .bad(.invalidUTF8) }
      name = page
    case .track, .contact:
      let result = fields.withValue(.event) { eventName($0) } ?? 0
      if result == EventBuilder.excluded { return .filtered(.event) }
      if result == EventBuilder.invalid { return .bad(.invalidUTF8) }
      if result == 0 { return .bad(.missingEvent) }
      name = result
    case .identify:
      if userId == 0 { return .filtered(.identifyWithoutUser) }
    }

    var channel = defaultChannel
    if let id = fields.withValue(
      .channel,
      { bytes -> UInt32 in
        bytes.isEmpty || !UTF8Check.isValid(bytes) ? 0 : tables.channels.intern(bytes)
      }), id != 0
    {
      guard id < 64 else { return .bad(.tooManyChannels) }
      channel = UInt8(id)
    }
    let source =
      fields.withValue(.source) { bytes -> UInt32 in
        bytes.isEmpty || !UTF8Check.isValid(bytes) ? 0 : tables.sources.intern(bytes)
      } ?? 0
    let messageHash = fields.withValue(.messageId) { EventBuilder.hash64($0) } ?? 0

    return .event(
      Event(
        time: time, messageHash: messageHash, anonymousId: anonymousId, userId: userId,
        name: name, source: source, channel: channel, kind: kind))
  }

  private static let invalid = UInt32.max - 1

  /// The kind named by a `type` value, compared as lower-case ASCII bytes without
  /// building a String (this runs for every event).
  static func kind(of type: UnsafeBufferPointer<UInt8>) -> EventKind? {
    if type.isEmpty { return nil }
    for (name, kind) in kindNames where name.count == type.count {
      var same = true
      for index in 0..<name.count {
        let byte = type[index]
        if name[index] != (byte >= 65 && byte <= 90 ? byte | 0x20 : byte) {
          same = false
          break
        }
      }
      if same { return kind }
    }
    return .track
  }

  private static let kindNames: [([UInt8], EventKind)] = [
    ("page", EventKind.page), ("track", .track), ("identify", .identify), ("screen", .page),
    ("pageview", .page), ("page_view", .page), ("event", .track), ("alias", .identify),
    ("group", .identify), ("contact", .contact), ("touchpoint", .contact),
  ].map { (Array($0.0.utf8), $0.1) }

  private mutating func internId(_ bytes: UnsafeBufferPointer<UInt8>, _ bad: inout Bool) -> UInt32 {
    if bytes.count <= longestJunkId && isJunk(bytes) {
      junkIdsSeen += 1
      return 0
    }
    if !UTF8Check.isValid(bytes) {
      bad = true
      return 0
    }
    return tables.ids.intern(bytes)
  }

  private func isJunk(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    junkIds.contains { junk in
      guard junk.count == bytes.count else { return false }
      for index in 0..<junk.count {
        let byte = bytes[index]
        let lower = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
        if lower != junk[index] { return false }
      }
      return true
    }
  }

  private mutating func pageName(_ raw: UnsafeBufferPointer<UInt8>) -> UInt32 {
    let rawId = Int(rawPages.intern(raw))
    if rawId < pageNames.count { return pageNames[rawId] }
    let result: UInt32
    switch pageCache.verdict(raw, compute: { normalizedPage(raw) }) {
    case .excluded: result = EventBuilder.excluded
    case .invalid: result = EventBuilder.invalid
    case .name(let name): result = name.withUnsafeBufferPointer { tables.names.intern($0) }
    }
    pageNames.append(result)
    return result
  }

  /// What the pipeline's page rules make of `raw` (regexes: run once per run and page).
  private func normalizedPage(_ raw: UnsafeBufferPointer<UInt8>) -> PageNameCache.Verdict {
    guard UTF8Check.isValid(raw) else { return .invalid }
    let text = String(decoding: raw, as: UTF8.self)
    if excludePages.contains(where: { text.contains($0) }) { return .excluded }
    return .name(Array(normalizer.normalize(text).utf8))
  }

  private mutating func eventName(_ raw: UnsafeBufferPointer<UInt8>) -> UInt32 {
    guard !raw.isEmpty else { return 0 }
    guard UTF8Check.isValid(raw) else { return EventBuilder.invalid }
    let id = tables.names.intern(raw)
    if excludeEvents.isEmpty { return id }
    while eventNameVerdict.count <= Int(id) { eventNameVerdict.append(0) }
    if eventNameVerdict[Int(id)] == 0 {
      eventNameVerdict[Int(id)] =
        excludeEvents.contains(String(decoding: raw, as: UTF8.self)) ? 2 : 1
    }
    return eventNameVerdict[Int(id)] == 2 ? EventBuilder.excluded : id
  }

  private mutating func isBotAgent(_ agent: UnsafeBufferPointer<UInt8>) -> Bool {
    let key = SymbolTable.hash64(agent)
    if let known = botAgents.verdict(key) { return known }
    let lower = agent.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    let verdict = botNeedles.contains { needle in
      guard !needle.isEmpty, needle.count <= lower.count else { return false }
      return (0...(lower.count - needle.count)).contains { start in
        lower[start..<(start + needle.count)].elementsEqual(needle)
      }
    }
    botAgents.record(key, verdict)
    return verdict
  }

  private static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard !bytes.isEmpty, bytes.count < 10 else { return nil }
    var value = 0
    for byte in bytes {
      guard byte >= 48 && byte <= 57 else { return nil }
      value = value * 10 + Int(byte - 48)
    }
    return value
  }

  /// The message id's 64-bit hash; never 0 (0 means "no message id").
  static func hash64(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    guard !bytes.isEmpty else { return 0 }
    let h = SymbolTable.hash64(bytes)
    return h == 0 ? 1 : h
  }
}
