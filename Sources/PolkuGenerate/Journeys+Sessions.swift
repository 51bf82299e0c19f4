extension JourneyPlanner {
  /// Entry pages of a visit and their weights.
  static let entries: [(Page, Int)] = [
    (.home, 5), (.blog, 3), (.product, 3), (.pricing, 2), (.features, 1), (.help, 1),
  ]

  /// The browse part of the site map: where a visitor goes next from each page.
  static func transitions(from page: Page) -> [(Page, Int)] {
    switch page {
    case .home: [(.pricing, 3), (.features, 3), (.blog, 2), (.product, 4), (.help, 1)]
    case .pricing: [(.features, 2), (.home, 1), (.product, 2), (.help, 1)]
    case .features: [(.pricing, 3), (.product, 2), (.blog, 1), (.home, 1)]
    case .blog: [(.blog, 3), (.home, 1), (.features, 1), (.product, 1)]
    case .product: [(.product, 4), (.cart, 2), (.home, 1), (.pricing, 1)]
    case .cart: [(.product, 2), (.home, 1)]
    case .account, .billing: [(.account, 1), (.help, 1), (.home, 1), (.product, 1)]
    default: [(.home, 2), (.pricing, 1), (.features, 1), (.product, 1)]
    }
  }

  static func pick(_ choices: [(Page, Int)], rng: inout SplitMix64) -> Page {
    choices[rng.weighted(choices.map(\.1))].0
  }

  /// A step of a session: a page view, maybe followed by a goal event.
  struct Step {
    var page: Page
    var item: Int
    var goal: Goal?
  }

  static func step(_ page: Page, _ goal: Goal? = nil, rng: inout SplitMix64) -> Step {
    let item: Int =
      switch page {
      case .blog: rng.below(SiteText.blogSlugs.count)
      case .product: 1000 + rng.below(400)
      default: 0
      }
    return Step(page: page, item: item, goal: goal)
  }

  /// A Markov walk of `count` pages starting at an entry page (or after `after`).
  static func walk(_ count: Int, after: Page? = nil, rng: inout SplitMix64) -> [Step] {
    var steps: [Step] = []
    var current = after
    for _ in 0..<count {
      let page = current.map { pick(transitions(from: $0), rng: &rng) } ?? pick(entries, rng: &rng)
      steps.append(step(page, rng: &rng))
      current = page
    }
    return steps
  }

  /// The steps of one visit with the given intent; 1...30 pages.
  static func steps(intent: Intent, loggedIn: Bool, rng: inout SplitMix64) -> [Step] {
    let length = 1 + rng.below(4) + rng.below(4) + (rng.chance(0.2) ? rng.below(23) : 0)
    switch intent {
    case .browse:
      return walk(length, rng: &rng)
    case .login:
      var steps = [step(.login, .loggedIn, rng: &rng)]
      if rng.chance(0.5) { steps.append(step(.account, rng: &rng)) }
      steps += walk(max(0, length - steps.count), after: steps.last?.page, rng: &rng)
      return steps
    case .purchase:
      var steps = walk(max(0, length - 4), rng: &rng)
      if steps.last?.page != .product { steps.append(step(.product, rng: &rng)) }
      steps += [step(.cart, rng: &rng), step(.checkout, rng: &rng)]
      steps.append(step(.checkoutComplete, .orderCompleted, rng: &rng))
      return steps
    case .signup:
      var steps = walk(max(0, length - 2), rng: &rng)
      if steps.last?.page != .pricing { steps.append(step(.pricing, rng: &rng)) }
      steps.append(step(.signup, .signedUp, rng: &rng))
      return steps
    case .churn:
      var steps = loggedIn ? [] : [step(.login, .loggedIn, rng: &rng)]
      steps += walk(max(0, min(length, 8) - 3), after: steps.last?.page, rng: &rng)
      steps += [step(.account, rng: &rng), step(.billing, rng: &rng)]
      steps.append(step(.cancel, .subscriptionCancelled, rng: &rng))
      return steps
    }
  }

  // MARK: - Sessions

  /// Plans a visit starting at `time`; updates log-in state, sign-up and device use in
  /// `person`. The caller drops the session (and the updated person) when it ends after
  /// the world does.
  mutating func webSession(
    at time: Int64, device: Int, intent: Intent, person: inout PersonPlan,
    rng: inout SplitMix64
  ) -> PlannedSession {
    var session = PlannedSession()
    let loggedIn = person.devices[device].loggedInSince <= time
    var steps = Self.steps(intent: intent, loggedIn: loggedIn, rng: &rng)
    if steps.count > 30 { steps.removeFirst(steps.count - 30) }
    var gaps = (0..<steps.count).map { $0 == 0 ? 0 : stepGap(rng: &rng) }
    if steps.count >= 2 && rng.chance(0.05) {
      let candidates = (1..<steps.count).filter { steps[$0 - 1].goal == nil }
      if !candidates.isEmpty {
        gaps[candidates[rng.below(candidates.count)]] = Self.gapLimit
        session.innerGapIs1800 = true
      }
    }
    var t = time
    for (index, step) in steps.enumerated() {
      t += gaps[index]
      append(
        step, at: t, device: device, entry: index == 0, part: 0, to: &session,
        person: &person, rng: &rng)
    }
    // A cross-device handoff: the visit continues on another logged-in device soon after.
    if let user = person.user, session.end >= person.userSince,
      person.devices[device].loggedInSince <= session.end, rng.chance(0.12)
    {
      _ = user
      let others = person.devices.indices.filter {
        $0 != device && person.devices[$0].loggedInSince <= session.end
      }
      if others.isEmpty {
        session.handoffGapIs1800 = false
      } else {
        let second = others[rng.below(others.count)]
        session.handoff = true
        session.handoffGapIs1800 = rng.chance(0.25)
        t =
          session.end + (session.handoffGapIs1800 ? Self.gapLimit : rng.within(30_000...1_500_000))
        for (index, step) in Self.walk(1 + rng.below(5), rng: &rng).enumerated() {
          if index > 0 { t += stepGap(rng: &rng) }
          append(
            step, at: t, device: second, entry: index == 0, part: 1, to: &session,
            person: &person, rng: &rng)
        }
      }
    }
    return session
  }

  /// Appends a page view at `t` and its goal event (plus an identify for sign-up and
  /// log-in), applying sign-up and log-in to the person's state.
  private mutating func append(
    _ step: Step, at t: Int64, device: Int, entry: Bool, part: UInt8,
    to session: inout PlannedSession, person: inout PersonPlan, rng: inout SplitMix64
  ) {
    var page = PlannedEvent(time: t, kind: .page, device: device, page: step.page, item: step.item)
    page.entry = entry
    page.part = part
    mark(&page, person: person, rng: &rng)
    session.events.append(page)
    var last = t
    if let goal = step.goal {
      let at = t + rng.within(200...2_500)
      if goal == .signedUp && person.user == nil {
        person.user = nextUserNumber()
        person.userSince = at
      }
      if goal == .signedUp || goal == .loggedIn {
        person.devices[device].loggedInSince = min(person.devices[device].loggedInSince, at)
      }
      var track = page
      track.time = at
      track.kind = .track
      track.goal = goal
      track.entry = false
      mark(&track, person: person, rng: &rng)
      session.events.append(track)
      if goal == .signedUp || goal == .loggedIn {
        track.kind = .identify
        track.goal = nil
        session.events.append(track)
      }
      last = at
    }
    person.devices[device].lastUse = max(person.devices[device].lastUse ?? .min, last)
  }

  /// Sets the user-id state of an event from its device's log-in state.
  private func mark(_ event: inout PlannedEvent, person: PersonPlan, rng: inout SplitMix64) {
    event.hasUser = person.user != nil && person.devices[event.device].loggedInSince <= event.time
    event.junkUser = !event.hasUser && rng.chance(0.025) ? UInt8(1 + rng.below(5)) : 0
  }

  /// A burst of one or two contacts (call, chat, e-mail click, store visit) on its own.
  func contactSession(at time: Int64, person: inout PersonPlan, rng: inout SplitMix64)
    -> PlannedSession
  {
    var session = PlannedSession()
    session.contactOnly = true
    session.events.append(contact(at: time, session: nil, person: person, rng: &rng))
    if rng.chance(0.2) {
      let second = time + rng.within(60_000...1_200_000)
      session.events.append(contact(at: second, session: nil, person: person, rng: &rng))
    }
    return session
  }

  /// One contact; e-mail clicks sometimes carry the anonymous id of a logged-in device
  /// (never a shareable or borrowed one, so stitching is unchanged by it).
  func contact(at time: Int64, session device: Int?, person: PersonPlan, rng: inout SplitMix64)
    -> PlannedEvent
  {
    var event = PlannedEvent(time: time, kind: .contact)
    event.contact = ContactType(rawValue: UInt8(rng.weighted([3, 1, 3, 3, 1])))!
    event.hasUser = true
    if event.contact == .emailClick && rng.chance(0.5) {
      let eligible = person.devices.indices.filter {
        let d = person.devices[$0]
        return d.loggedInSince <= time && d.lastUse != nil && !d.shareable && !d.borrowed
          && (device == nil || device == $0)
      }
      if !eligible.isEmpty { event.device = eligible[rng.below(eligible.count)] }
    }
    return event
  }
}
