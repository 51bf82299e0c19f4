/// The fixed texts the generator draws from: slugs, user agents, referrers, noise values.
///
/// Everything is pre-encoded UTF-8 so writers append bytes without building strings.
enum SiteText {
  static func bytes(_ texts: [String]) -> [[UInt8]] { texts.map { Array($0.utf8) } }

  static let blogSlugs = bytes([
    "journey-mapping-101", "why-sessions-matter", "reduce-churn-with-paths",
    "attribution-without-cookies", "checkout-funnel-teardown", "release-notes-november",
  ])

  /// Page titles for `properties.title`; some need JSON escapes (quotes, non-ASCII).
  static let titles: [Page: [UInt8]] = {
    var titles: [Page: [UInt8]] = [:]
    for page in Page.allCases { titles[page] = Array("Polku".utf8) }
    titles[.pricing] = Array(#"Pricing \"Pro\" plans"#.utf8)
    titles[.features] = Array(#"Features \u2013 Polku"#.utf8)
    titles[.help] = Array(#"Help centre: caf\u00e9 hours"#.utf8)
    return titles
  }()

  static let desktopAgents = bytes([
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  ])
  static let mobileAgents = bytes([
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
  ])
  static let appAgents = bytes([
    "PolkuApp/4.2.1 (iPhone; iOS 18.1; Scale/3.00)",
    "PolkuApp/4.2.0 (Android 15; Pixel 8)",
    "PolkuApp/4.1.7 (iPad; iPadOS 18.0; Scale/2.00)",
  ])
  /// Bot user agents: each contains `Googlebot` or `bingbot`.
  static let botAgents = bytes([
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.6778.69 Safari/537.36",
  ])

  static func agent(_ device: PlannedDevice) -> [UInt8] {
    switch device.kind {
    case .desktop: desktopAgents[device.agent]
    case .mobile: mobileAgents[device.agent]
    case .app: appAgents[device.agent]
    }
  }

  /// Campaign sources for `?utm_source=`.
  static let sources = bytes(["google", "newsletter", "facebook", "bing", "partner_x"])
  /// External referrers of entry pages; the empty one is written as no referrer.
  static let referrers = bytes([
    "https://www.google.com/", "https://www.bing.com/", "https://l.facebook.com/",
    "https://news.ycombinator.com/", "",
  ])
  static let siteOrigin = Array("https://www.polku.example".utf8)

  /// Static asset paths (all must be dropped by polku before sessionising).
  static let assets = bytes([
    "/static/app.js", "/favicon.ico", "/static/css/site.css", "/img/logo.png",
    "/static/app.js?v=4f2a", "/img/hero.png", "/theme.css",
  ])

  /// Junk user ids that must not stitch (index 1...5; 0 is "none").
  static let junkUsers = bytes(["", "null", "undefined", "anonymous", "0", ""])

  /// Free-text details for the touchpoints CSV; some need RFC 4180 quoting.
  static let details = bytes([
    "password reset", "asked about invoice 2026-11", "refund, partial",
    #"said "great service""#, "line one\nline two", "store: Helsinki, Kamppi", "",
    "upgrade to annual", #"complaint: "late delivery", wants refund"#,
  ])
}
