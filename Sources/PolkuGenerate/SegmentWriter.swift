import PolkuCore

/// Writes Segment-style JSON Lines: page, track and identify calls from web and app.
///
/// Key order varies between three layouts; 3 % of timestamps carry a `+02:00` offset and
/// 2 % are epoch-millisecond numbers. Noise, each counted in the file's ``LineCounts``:
/// re-sent duplicates (same bytes, another file), static-asset page views, malformed
/// lines (truncated JSON, missing or invalid timestamp). Bot visits come from
/// ``writeBot(time:anonymous:agent:page:)``.
final class SegmentWriter {
  let files: OutputFiles
  private let line = ByteBuffer(capacity: 4096)
  private var messages: UInt64 = 0
  private let salt: UInt64
  private var rng: SplitMix64

  private enum Key {
    case messageId, timestamp, type, event, anonymousId, userId, channel, context, properties
  }
  private static let layouts: [[Key]] = [
    [
      .messageId, .timestamp, .type, .event, .anonymousId, .userId, .channel, .context, .properties,
    ],
    [
      .type, .event, .timestamp, .messageId, .userId, .anonymousId, .channel, .properties, .context,
    ],
    [
      .anonymousId, .userId, .messageId, .type, .event, .channel, .context, .properties, .timestamp,
    ],
  ]

  /// How a line's timestamp is written.
  enum Stamp { case normal, missing, invalid }

  init(files: OutputFiles, seed: UInt64) {
    self.files = files
    salt = SplitMix64.mix(seed ^ 0x5E6)
    rng = SplitMix64(seed: SplitMix64.mix(seed ^ 0x5E61))
  }

  private func nextMessage() -> UInt64 {
    messages += 1
    return SplitMix64.mix(messages ^ salt)
  }

  /// Writes one real event (plus any noise derived from it). Returns the message id.
  func write(_ event: PlannedEvent, person: PersonPlan, page: PageText) throws {
    let device = person.devices[event.device]
    let message = nextMessage()
    build(event, person: person, device: device, page: page, message: message, stamp: .normal)
    let target = files.file(for: event.time)
    try files.add(line.bytes, to: target, as: .accepted)
    if event.junkUser != 0 { files.files[target].counts.junkUserIds += 1 }
    if rng.chance(0.005), let other = files.otherFile(than: target) {
      try files.add(line.bytes, to: other, as: .duplicate)
    }
    if event.kind == .page && device.isWeb && rng.chance(0.02) {
      var asset = event
      asset.time = min(event.time + rng.within(50...900), files.endMs - 1)
      asset.entry = false
      build(
        asset, person: person, device: device, page: page, message: nextMessage(),
        stamp: .normal, assetPath: SiteText.assets[rng.below(SiteText.assets.count)])
      try files.add(line.bytes, to: files.file(for: asset.time), as: .asset)
    }
    if rng.chance(0.003) { try writeMalformed(event, person: person, device: device, page: page) }
  }

  private func writeMalformed(
    _ event: PlannedEvent, person: PersonPlan, device: PlannedDevice,
    page: PageText
  ) throws {
    let roll = rng.below(100)
    let reason: BadRowReason
    if roll < 50 {
      reason = .invalidJSON
      if roll < 5 {
        line.removeAll()
        line.append("<html><body>502 Bad Gateway</body></html>\n")
      } else {
        build(
          event, person: person, device: device, page: page, message: nextMessage(), stamp: .normal)
        line.truncate(to: 1 + rng.below(line.count - 3))  // a strict prefix: never valid JSON
        line.append(UInt8(ascii: "\n"))
      }
    } else {
      reason = roll < 75 ? .missingTimestamp : .invalidTimestamp
      build(
        event, person: person, device: device, page: page, message: nextMessage(),
        stamp: roll < 75 ? .missing : .invalid)
    }
    try files.add(line.bytes, to: files.file(for: event.time), as: .malformed(reason))
  }

  /// Writes one page view of a bot visit (always accepted by the parser, counted as bot).
  func writeBot(time: Int64, anonymous: UInt64, agent: Int, page: PageText) throws {
    var event = PlannedEvent(time: time, kind: .page)
    event.device = 0
    var person = PersonPlan(index: -1)
    person.devices = [PlannedDevice(anonymous: anonymous, kind: .desktop, agent: 0, address: 0)]
    build(
      event, person: person, device: person.devices[0], page: page, message: nextMessage(),
      stamp: .normal, agent: SiteText.botAgents[agent])
    try files.add(line.bytes, to: files.file(for: time), as: .bot)
  }

  // MARK: - Line layout

  private func build(
    _ event: PlannedEvent, person: PersonPlan, device: PlannedDevice, page: PageText,
    message: UInt64, stamp: Stamp, assetPath: [UInt8]? = nil, agent: [UInt8]? = nil
  ) {
    line.removeAll()
    let layout = Self.layouts[message % 100 < 80 ? 0 : (message % 100 < 92 ? 1 : 2)]
    let omitNullUser = message & 0x100 != 0
    var first = true
    line.append(UInt8(ascii: "{"))
    for key in layout {
      if key == .event && event.kind != .track { continue }
      if key == .timestamp && stamp == .missing { continue }
      if key == .userId && !event.hasUser && event.junkUser == 0 && omitNullUser { continue }
      if !first { line.append(UInt8(ascii: ",")) }
      first = false
      switch key {
      case .messageId:
        line.append(#""messageId":"m-"#)
        line.append(hex16: message)
        line.append(UInt8(ascii: "\""))
      case .timestamp:
        line.append(#""timestamp":"#)
        if stamp == .invalid {
          line.append(message & 1 == 0 ? #""2026-13-45T25:61:00Z""# : #""yesterday at noon""#)
        } else {
          let style = (message >> 12) % 100
          if style < 2 {
            line.append(decimal: event.time)
          } else {
            line.append(UInt8(ascii: "\""))
            CivilTime.appendISO(event.time, offsetMinutes: style < 5 ? 120 : 0, to: line)
            line.append(UInt8(ascii: "\""))
          }
        }
      case .type:
        switch event.kind {
        case .track: line.append(#""type":"track""#)
        case .identify: line.append(#""type":"identify""#)
        default: line.append(#""type":"page""#)
        }
      case .event:
        line.append(#""event":""#)
        line.append(event.goal?.staticName ?? "Unknown")
        line.append(UInt8(ascii: "\""))
      case .anonymousId:
        line.append(#""anonymousId":"a-"#)
        line.append(hex16: device.anonymous)
        line.append(UInt8(ascii: "\""))
      case .userId:
        line.append(#""userId":"#)
        if event.hasUser, let user = person.user {
          line.append(#""u-"#)
          line.append(decimal: Int64(user))
          line.append(UInt8(ascii: "\""))
        } else if event.junkUser != 0 {
          line.append(UInt8(ascii: "\""))
          line.append(SiteText.junkUsers[Int(event.junkUser)])
          line.append(UInt8(ascii: "\""))
        } else {
          line.append("null")
        }
      case .channel:
        line.append(device.kind == .app ? #""channel":"app""# : #""channel":"web""#)
      case .context:
        appendContext(device: device, page: page, assetPath: assetPath, agent: agent)
      case .properties:
        appendProperties(event, message: message)
      }
    }
    line.append("}\n")
  }

  private func appendContext(
    device: PlannedDevice, page: PageText, assetPath: [UInt8]?,
    agent: [UInt8]?
  ) {
    line.append(#""context":{"#)
    if device.kind == .app { line.append(#""app":{"name":"Polku","version":"4.2.1"},"#) }
    line.append(#""page":{"path":""#)
    if let assetPath { line.append(assetPath) } else { line.append(page.path.bytes) }
    line.append(UInt8(ascii: "\""))
    if page.referrer.count > 0 {
      line.append(#","referrer":""#)
      line.append(page.referrer.bytes)
      line.append(UInt8(ascii: "\""))
    }
    line.append(UInt8(ascii: "}"))
    if page.source >= 0 && assetPath == nil {
      line.append(#","campaign":{"source":""#)
      line.append(SiteText.sources[page.source])
      line.append(#""}"#)
    }
    line.append(#","userAgent":""#)
    line.append(agent ?? SiteText.agent(device))
    line.append(#""}"#)
  }

  private func appendProperties(_ event: PlannedEvent, message: UInt64) {
    switch event.kind {
    case .identify:
      line.append(#""traits":{"plan":"pro"}"#)
    case .track:
      switch event.goal {
      case .orderCompleted:
        line.append(#""properties":{"order_id":"o-"#)
        line.append(decimal: Int64(message % 1_000_000))
        line.append(#"","revenue":"#)
        line.append(decimal: Int64(10 + message % 190))
        line.append(#".90,"currency":"EUR"}"#)
      case .signedUp: line.append(#""properties":{"plan":"pro","trial":true}"#)
      case .subscriptionCancelled: line.append(#""properties":{"reason":"too expensive"}"#)
      default: line.append(#""properties":{}"#)
      }
    default:
      line.append(#""properties":{"title":""#)
      line.append(SiteText.titles[event.page] ?? [])
      line.append(#""}"#)
    }
  }
}
