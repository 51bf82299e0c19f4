/// The pages of the simulated site; journeys are walks over them.
enum Page: UInt8, CaseIterable {
  case home, pricing, features, blog, product, cart, checkout, checkoutComplete
  case signup, login, account, billing, cancel, help

  /// The canonical path without item (`/blog/` and `/product/` take a slug or id).
  var path: StaticString {
    switch self {
    case .home: "/"
    case .pricing: "/pricing"
    case .features: "/features"
    case .blog: "/blog/"
    case .product: "/product/"
    case .cart: "/cart"
    case .checkout: "/checkout"
    case .checkoutComplete: "/checkout/complete"
    case .signup: "/signup"
    case .login: "/login"
    case .account: "/account"
    case .billing: "/account/billing"
    case .cancel: "/account/cancel"
    case .help: "/help"
    }
  }
}

/// The goal (track) events, with the names polku counts conversions for.
public enum Goal: UInt8, CaseIterable, Sendable {
  case signedUp, orderCompleted, loggedIn, subscriptionCancelled

  /// The Segment event name.
  public var name: String {
    switch self {
    case .signedUp: "Signed Up"
    case .orderCompleted: "Order Completed"
    case .loggedIn: "Logged In"
    case .subscriptionCancelled: "Subscription Cancelled"
    }
  }

  var staticName: StaticString {
    switch self {
    case .signedUp: "Signed Up"
    case .orderCompleted: "Order Completed"
    case .loggedIn: "Logged In"
    case .subscriptionCancelled: "Subscription Cancelled"
    }
  }
}

/// A contact on a non-web channel, written to the touchpoints CSV.
enum ContactType: UInt8, CaseIterable {
  case supportCall, complaint, chat, emailClick, storeVisit

  var channel: StaticString {
    switch self {
    case .supportCall, .complaint: "call_center"
    case .chat: "chat"
    case .emailClick: "email"
    case .storeVisit: "store"
    }
  }

  var touchpoint: StaticString {
    switch self {
    case .supportCall: "Support Call"
    case .complaint: "Complaint"
    case .chat: "Chat"
    case .emailClick: "Email Click"
    case .storeVisit: "Store Visit"
    }
  }
}

/// What a planned event is.
enum PlannedKind: UInt8 {
  case page, track, identify, contact
}

/// A browser or app installation of one person, with its anonymous id.
struct PlannedDevice {
  enum Kind: UInt8 { case desktop, mobile, app }
  /// The anonymous id is `a-` + 16 hex digits of this value.
  var anonymous: UInt64
  var kind: Kind
  /// Index into the user-agent list of `kind`.
  var agent: Int
  /// Seeds the client address written to access logs.
  var address: UInt64
  /// From this time on, events of the device carry the person's user id.
  var loggedInSince: Int64 = .max
  /// The device had an event with the person's user id (so stitching maps it to them).
  var everLoggedIn = false
  /// Logged in for its whole life; may later be borrowed by another person.
  var shareable = false
  /// Another person's device, used for one session (the shared-device case).
  var borrowed = false
  /// The time of the device's last event, or nil when unused.
  var lastUse: Int64?

  var isWeb: Bool { kind != .app }
}

/// One event of the plan, before any noise is added.
struct PlannedEvent {
  var time: Int64
  var kind: PlannedKind
  /// Index into the person's devices; -1 for contacts without an anonymous id.
  var device: Int = -1
  var page: Page = .home
  /// Blog slug index or product number.
  var item: Int = 0
  var goal: Goal?
  var contact: ContactType = .chat
  /// The event carries the person's user id.
  var hasUser = false
  /// 1...5: the event carries a junk user id (`null`, `undefined`, …) instead.
  var junkUser: UInt8 = 0
  /// The first page of a session part (external referrer, campaign).
  var entry = false
  /// The session part: 0, or 1 for the second device of a cross-device handoff.
  var part: UInt8 = 0
  /// A contact attached to a web session (within 1800 s of it), not a session of its own.
  var near = false
}

/// One session of a person's timeline: a visit on one device (two for a handoff), or a
/// burst of contacts on non-web channels.
///
/// Sessions of one person never come within 1800 s of each other (the gap from a
/// session's last event, near contacts included, to the next session's first event is
/// ≥ 1801 s), so each is exactly one session under every keying rule in which its
/// events share a key.
struct PlannedSession {
  var events: [PlannedEvent] = []
  var contactOnly = false
  var handoff = false
  var handoffGapIs1800 = false
  var innerGapIs1800 = false
  var gapBeforeIs1801 = false
  var borrowed = false
  var contactGapIs1800 = false

  var start: Int64 { events.first?.time ?? 0 }
  var end: Int64 { events.last?.time ?? 0 }
}

/// Everything planned for one person.
struct PersonPlan {
  var index: Int
  /// The user number (`u-<n>`) when the person is registered by the end of the world.
  var user: Int?
  /// When the user id starts to exist (sign-up moment; `.min` for existing customers).
  var userSince: Int64 = .max
  var devices: [PlannedDevice] = []
  var sessions: [PlannedSession] = []

  /// Whether an event of a non-contact session keys on the user in stitched mode:
  /// it carries the user id, or its device is mapped to the user.
  func stitchesToUser(_ event: PlannedEvent) -> Bool {
    if user == nil { return false }
    if event.kind == .contact || event.hasUser { return true }
    return event.device >= 0 && devices[event.device].everLoggedIn
  }
}
