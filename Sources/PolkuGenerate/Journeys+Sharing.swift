extension JourneyPlanner {
  /// The shared-device case: an existing customer uses another customer's always
  /// logged-in app (a family tablet) for one session, after its owner's last use.
  ///
  /// The session starts anonymous, then logs in, so the device's most recent user becomes
  /// this person and its anonymous events stitch to them; the owner's events on it all
  /// carry the owner's user id. The session is placed ≥ 2 h from both persons' other
  /// events on any device, so it is one session under every rule.
  mutating func borrowDevice(into person: inout PersonPlan, rng: inout SplitMix64) {
    guard person.userSince == .min, let offer = sharePool.last, offer.person != person.index,
      let ownerLast = offer.device.lastUse, rng.chance(0.25)
    else { return }
    var steps = Self.walk(1 + rng.below(2), rng: &rng)
    steps.append(Self.step(.login, .loggedIn, rng: &rng))
    steps += Self.walk(rng.below(3), after: .login, rng: &rng)
    let duration = Int64(steps.count) * 120_000 + 3_000
    let margin = 2 * Self.hour
    var previousEnd = spec.startMs - margin
    var slot: (index: Int, start: Int64)?
    for index in 0...person.sessions.count {
      let nextStart = index < person.sessions.count ? person.sessions[index].start : spec.endMs
      let start = max(previousEnd + margin, ownerLast + margin)
      if start + duration + margin <= nextStart {
        slot = (index, start)
        break
      }
      if index < person.sessions.count { previousEnd = person.sessions[index].end }
    }
    guard let slot else { return }
    sharePool.removeLast()
    var device = offer.device
    device.borrowed = true
    device.shareable = false
    device.loggedInSince = .max
    device.lastUse = nil
    person.devices.append(device)
    var session = PlannedSession()
    session.borrowed = true
    var t = slot.start
    for (index, step) in steps.enumerated() {
      if index > 0 { t += rng.within(5_000...110_000) }
      var page = PlannedEvent(
        time: t, kind: .page, device: person.devices.count - 1,
        page: step.page, item: step.item)
      page.entry = index == 0
      page.hasUser = device.loggedInSince <= t
      session.events.append(page)
      if step.goal == .loggedIn {
        t += rng.within(200...2_500)
        device.loggedInSince = t
        page.time = t
        page.kind = .track
        page.goal = .loggedIn
        page.entry = false
        page.hasUser = true
        session.events.append(page)
        page.kind = .identify
        page.goal = nil
        session.events.append(page)
      }
    }
    device.lastUse = t
    device.everLoggedIn = true
    person.devices[person.devices.count - 1] = device
    person.sessions.insert(session, at: slot.index)
  }

  /// Contacts within 1800 s of a web session whose events all key on the person's user
  /// in stitched mode: they merge into that session once identities are stitched, and are
  /// sessions of their own in a user-keyed CSV-only run. 15 % of the contacts placed after
  /// the session are exactly 1800 s after its last event (the edge that must merge).
  func addNearContacts(to person: inout PersonPlan, rng: inout SplitMix64) {
    guard person.user != nil else { return }
    for index in person.sessions.indices {
      let session = person.sessions[index]
      guard !session.contactOnly, let first = session.events.first,
        person.stitchesToUser(first), session.end >= person.userSince, rng.chance(0.2)
      else { continue }
      let nextStart =
        index + 1 < person.sessions.count
        ? person.sessions[index + 1].start : spec.endMs + Self.gapLimit
      let maxDelta = min(
        Self.gapLimit, nextStart - session.end - Self.gapLimit - 1000,
        spec.endMs - 1 - session.end)
      var time: Int64
      var exact = false
      if rng.chance(0.5) && maxDelta >= 1000 {
        exact = maxDelta >= Self.gapLimit && rng.chance(0.15)
        time = session.end + (exact ? Self.gapLimit : rng.within(1000...maxDelta))
      } else {
        let low = max(session.start, person.userSince)
        guard low <= session.end else { continue }
        time = rng.within(low...session.end)
      }
      let device = session.events.last?.device ?? -1
      var event = contact(at: time, session: device, person: person, rng: &rng)
      event.near = true
      if device >= 0 && person.devices[device].borrowed { event.device = -1 }
      var events = session.events
      let at = events.firstIndex { $0.time > time } ?? events.count
      events.insert(event, at: at)
      person.sessions[index].events = events
      if exact { person.sessions[index].contactGapIs1800 = true }
    }
  }
}
