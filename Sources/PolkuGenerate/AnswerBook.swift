/// Accumulates the expected answers person by person from the plans, without parsing
/// the written files and without a gap-based sessioniser.
///
/// Each planned session is one session in every mode whose events it contains; a
/// handoff is two sessions by device (one per device) and one stitched; a near contact
/// is one session in the CSV-only mode and part of its web session when stitched.
struct AnswerBook {
  let formats: GeneratedFormats
  let keepRows: Bool
  let keepEvents: Bool
  var tallies: [String: SessionTally] = [:]
  var deviceKeys = Set<UInt64>()
  var stitchedAnonymous = Set<UInt64>()
  var cookieKeys = Set<UInt64>()
  var jsonlUsers = Set<Int>()
  var csvUsers = Set<Int>()
  var combinedUsers = Set<Int>()
  var edges: [String: Int] = [:]
  var rows: [SessionTruthRow] = []
  var events: [TruthEvent] = []
  var people = 0
  var registered = 0
  /// Real (non-noise) records planned so far, for `--events-target`.
  var plannedRecords = 0

  static let modeNames = [
    "jsonl_device", "jsonl_stitched", "access_cookie", "csv_user", "jsonl_csv_stitched",
  ]
  static let edgeNames = [
    "within_session_gap_exactly_1800s", "between_session_gap_exactly_1801s",
    "sessions_crossing_midnight_utc", "cross_device_handoffs", "handoff_gap_exactly_1800s",
    "shared_device_sessions", "near_contacts", "near_contact_gap_exactly_1800s",
    "far_contact_sessions",
  ]

  init(spec: GeneratorSpec) {
    formats = spec.formats
    keepRows = spec.writeSessionsTruth
    keepEvents = spec.keepTruthEvents
    for name in Self.modeNames { tallies[name] = SessionTally() }
    for name in Self.edgeNames { edges[name] = 0 }
  }

  private static func anonymousKey(_ value: UInt64) -> String {
    let buffer = ByteBuffer(capacity: 20)
    buffer.append("a-")
    buffer.append(hex16: value)
    return String(decoding: buffer.bytes, as: UTF8.self)
  }

  /// A session under construction in one mode.
  private struct Open {
    var tally = SessionTally()
    var goals = Set<Goal>()
    var start: Int64 = .max
    var end: Int64 = .min

    mutating func add(_ event: PlannedEvent, time: Int64? = nil) {
      tally.events += 1
      if event.kind == .identify { tally.identifyEvents += 1 }
      if event.kind == .track, let goal = event.goal { goals.insert(goal) }
      start = min(start, time ?? event.time)
      end = max(end, time ?? event.time)
    }
  }

  private mutating func close(_ open: Open, mode: String) {
    guard open.tally.events > 0 else { return }
    tallies[mode, default: SessionTally()].sessions += 1
    tallies[mode, default: SessionTally()].events += open.tally.events
    tallies[mode, default: SessionTally()].identifyEvents += open.tally.identifyEvents
    for goal in open.goals {
      tallies[mode, default: SessionTally()].goalSessions[Int(goal.rawValue)] += 1
    }
  }

  mutating func add(_ person: PersonPlan) {
    people += 1
    if person.user != nil { registered += 1 }
    let jsonl = formats.contains(.jsonl)
    let access = formats.contains(.access)
    let csv = formats.contains(.csv)
    let userKey = person.user.map { "u-\($0)" }
    for session in person.sessions {
      var byDevice = [Open(), Open()]
      var byCookie = [Open(), Open()]
      var stitched = Open()
      var contacts = Open()
      var combined = Open()
      var stitchedToUser = false
      var anonymous: UInt64 = 0
      var sawJsonl = false
      for event in session.events {
        if event.kind == .contact {
          guard csv else { continue }
          plannedRecords += 1
          contacts.add(event)
          combined.add(event)
          csvUsers.insert(person.user ?? 0)
          combinedUsers.insert(person.user ?? 0)
          if event.near {
            edges["near_contacts", default: 0] += 1
          }
          if keepEvents {
            events.append(
              TruthEvent(
                format: "csv", time: event.time,
                anonymousId: event.device >= 0
                  ? Self.anonymousKey(person.devices[event.device].anonymous) : nil,
                userId: userKey, goal: nil, isIdentify: false))
          }
          continue
        }
        let device = person.devices[event.device]
        let part = Int(event.part)
        if access && event.kind == .page && device.isWeb {
          plannedRecords += 1
          let second = event.time - event.time % 1000
          byCookie[part].add(event, time: second)
          cookieKeys.insert(device.anonymous)
          if keepEvents {
            events.append(
              TruthEvent(
                format: "access", time: second,
                anonymousId: Self.anonymousKey(device.anonymous),
                userId: nil, goal: nil, isIdentify: false))
          }
        }
        guard jsonl else { continue }
        plannedRecords += 1
        byDevice[part].add(event)
        stitched.add(event)
        combined.add(event)
        deviceKeys.insert(device.anonymous)
        stitchedToUser = person.stitchesToUser(event)
        anonymous = device.anonymous
        sawJsonl = true
        if stitchedToUser {
          combinedUsers.insert(person.user ?? 0)
          stitchedUsers.insert(person.user ?? 0)
        } else {
          stitchedAnonymous.insert(device.anonymous)
        }
        if event.hasUser { jsonlUsers.insert(person.user ?? 0) }
        if keepEvents {
          events.append(
            TruthEvent(
              format: "jsonl", time: event.time, anonymousId: Self.anonymousKey(device.anonymous),
              userId: event.hasUser
                ? userKey
                : (event.junkUser != 0
                  ? String(decoding: SiteText.junkUsers[Int(event.junkUser)], as: UTF8.self) : nil),
              goal: event.kind == .track ? event.goal?.name : nil,
              isIdentify: event.kind == .identify))
        }
      }
      for part in 0..<2 {
        close(byDevice[part], mode: "jsonl_device")
        close(byCookie[part], mode: "access_cookie")
      }
      close(stitched, mode: "jsonl_stitched")
      close(contacts, mode: "csv_user")
      close(combined, mode: "jsonl_csv_stitched")
      if keepRows && combined.tally.events > 0 {
        let key = !sawJsonl || stitchedToUser ? (userKey ?? "") : Self.anonymousKey(anonymous)
        rows.append(
          SessionTruthRow(
            key: key, startMs: combined.start, endMs: combined.end,
            events: combined.tally.events,
            identifyEvents: combined.tally.identifyEvents))
      }
      countEdges(session)
    }
  }

  private mutating func countEdges(_ session: PlannedSession) {
    if session.innerGapIs1800 { edges["within_session_gap_exactly_1800s", default: 0] += 1 }
    if session.gapBeforeIs1801 { edges["between_session_gap_exactly_1801s", default: 0] += 1 }
    if CivilTime.day(of: session.start) != CivilTime.day(of: session.end) {
      edges["sessions_crossing_midnight_utc", default: 0] += 1
    }
    if session.handoff { edges["cross_device_handoffs", default: 0] += 1 }
    if session.handoffGapIs1800 && session.handoff {
      edges["handoff_gap_exactly_1800s", default: 0] += 1
    }
    if session.borrowed { edges["shared_device_sessions", default: 0] += 1 }
    if session.contactGapIs1800 { edges["near_contact_gap_exactly_1800s", default: 0] += 1 }
    if session.contactOnly { edges["far_contact_sessions", default: 0] += 1 }
  }

  /// The per-mode tallies with distinct key counts filled in.
  func finalTallies() -> [(name: String, tally: SessionTally)] {
    var result: [(String, SessionTally)] = []
    for name in Self.modeNames {
      var tally = tallies[name] ?? SessionTally()
      switch name {
      case "jsonl_device": tally.keys = deviceKeys.count
      case "jsonl_stitched": tally.keys = jsonlStitchedUsers + stitchedAnonymous.count
      case "access_cookie": tally.keys = cookieKeys.count
      case "csv_user": tally.keys = csvUsers.count
      default: tally.keys = combinedUsers.count + stitchedAnonymous.count
      }
      let included: Bool =
        switch name {
        case "jsonl_device", "jsonl_stitched": formats.contains(.jsonl)
        case "access_cookie": formats.contains(.access)
        case "csv_user": formats.contains(.csv)
        default: formats.contains(.jsonl) || formats.contains(.csv)
        }
      if included { result.append((name, tally)) }
    }
    return result
  }

  /// Users that are stitched keys of JSONL events.
  var jsonlStitchedUsers: Int { stitchedUsers.count }
  var stitchedUsers = Set<Int>()
}
