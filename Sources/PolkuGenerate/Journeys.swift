/// The behaviour model: plans each person's devices and timeline of sessions.
///
/// A person is anonymous-only, signs up during the world, or is an existing customer
/// (some of whom drift towards cancellation: account → billing → cancel). Sessions are
/// Markov walks over the site map followed by an intent's funnel (purchase, sign-up,
/// log-in, cancellation). Every session of a person starts ≥ 1801 s after the previous
/// one ended — the construction that makes session counts known without sessionising.
/// Plans draw only from the person's own generator, so persons are independent.
struct JourneyPlanner {
  let spec: GeneratorSpec
  private var nextDevice: UInt64 = 0
  private var nextUser = 100_000
  /// Shareable devices of earlier persons: (person, device).
  var sharePool: [(person: Int, device: PlannedDevice)] = []

  init(spec: GeneratorSpec) {
    self.spec = spec
  }

  enum Intent { case browse, purchase, signup, login, churn }

  static let minute: Int64 = 60_000
  static let hour: Int64 = 3_600_000
  static let gapLimit: Int64 = 1_800_000

  /// A fresh unique anonymous-id value (a bijective mix of a counter).
  mutating func newAnonymous() -> UInt64 {
    nextDevice += 1
    return SplitMix64.mix(nextDevice ^ SplitMix64.mix(spec.seed ^ 0xA11))
  }

  // MARK: - Persons

  /// Plans person `index`.
  mutating func plan(person index: Int) -> PersonPlan {
    var rng = SplitMix64(seed: SplitMix64.mix(spec.seed) ^ SplitMix64.mix(UInt64(index) &+ 7))
    var person = PersonPlan(index: index)
    let roll = rng.below(100)
    let existing = roll < 40
    let willSignUp = roll >= 40 && roll < 62
    let churner = existing && rng.chance(0.18)
    if existing {
      person.user = nextUserNumber()
      person.userSince = .min
    }
    let deviceCount = 1 + rng.weighted([55, 33, 12])
    for slot in 0..<deviceCount {
      let kind = PlannedDevice.Kind(rawValue: UInt8(rng.weighted([5, 3, 3])))!
      var device = PlannedDevice(
        anonymous: newAnonymous(), kind: kind, agent: rng.below(3), address: rng.next())
      if existing && (slot == 0 || (kind == .app && rng.chance(0.5))) {
        device.loggedInSince = .min
        device.shareable = slot > 0
      }
      person.devices.append(device)
    }
    let sessionTarget = min(
      40, 1 + rng.below(2 + spec.days) + (rng.chance(0.3) ? rng.below(3 * spec.days) : 0))
    let signupAt = willSignUp ? rng.below(min(sessionTarget, 3)) : -1
    var webSessions = 0
    var cancelled = false
    var time = spec.startMs + Int64(rng.below(Int(Double(spec.endMs - spec.startMs) * 0.75)))
    var gapBeforeIs1801 = false
    while person.sessions.count < sessionTarget {
      var session: PlannedSession
      if person.user != nil && time >= person.userSince && !person.sessions.isEmpty
        && rng.chance(0.16)
      {
        session = contactSession(at: time, person: &person, rng: &rng)
      } else {
        let device = rng.below(person.devices.count)
        var intent = Intent.browse
        let loggedIn = person.devices[device].loggedInSince <= time
        if webSessions == signupAt {
          intent = .signup
        } else if person.user != nil && !loggedIn && rng.chance(0.45) {
          intent = .login
        } else if churner && !cancelled && person.sessions.count * 2 >= sessionTarget
          && rng.chance(0.6)
        {
          intent = .churn
        } else if rng.chance(0.16) {
          intent = .purchase
        }
        var copy = person
        session = webSession(at: time, device: device, intent: intent, person: &copy, rng: &rng)
        if session.end >= spec.endMs { break }
        person = copy
        if intent == .churn { cancelled = true }
        webSessions += 1
      }
      if session.end >= spec.endMs { break }
      session.gapBeforeIs1801 = gapBeforeIs1801
      person.sessions.append(session)
      let gap = sessionGap(rng: &rng)
      gapBeforeIs1801 = gap == Self.gapLimit + 1000
      time = session.end + gap
      if time >= spec.endMs { break }
    }
    for (slot, device) in person.devices.enumerated() where device.loggedInSince != .max {
      person.devices[slot].everLoggedIn = device.lastUse != nil || device.loggedInSince == .min
    }
    if person.user != nil { borrowDevice(into: &person, rng: &rng) }
    addNearContacts(to: &person, rng: &rng)
    for device in person.devices where device.shareable && device.lastUse != nil {
      sharePool.append((index, device))
      if sharePool.count > 8 { sharePool.removeFirst() }
    }
    return person
  }

  /// A fresh user number for `u-<n>`.
  mutating func nextUserNumber() -> Int {
    nextUser += 1
    return nextUser
  }

  /// The gap from one session's last event to the next one's first: mostly hours or
  /// days, never ≤ 1800 s; 3 % exactly 1801 s (the edge that must split).
  func sessionGap(rng: inout SplitMix64) -> Int64 {
    switch rng.below(100) {
    case 0..<3: Self.gapLimit + 1000
    case 3..<13: Self.gapLimit + 1000 + rng.within(0...Self.hour)
    case 13..<68: rng.within(2 * Self.hour...14 * Self.hour)
    default: rng.within(24 * Self.hour...72 * Self.hour)
    }
  }

  /// A gap between two steps of one session: 3 s to 30 min (≤ 1800 s).
  func stepGap(rng: inout SplitMix64) -> Int64 {
    switch rng.below(100) {
    case 0..<65: rng.within(3_000...120_000)
    case 65..<90: rng.within(120_000...600_000)
    default: rng.within(600_000...Self.gapLimit)
    }
  }
}
