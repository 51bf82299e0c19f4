/// How an ``AccessLogParser`` identifies the visitor of a request.
public enum AccessLogVisitor: Sendable, Equatable {
  /// The remote host (IP address or host name).
  case host
  /// The remote host, a space and the user agent (the host alone when there is no agent).
  case hostAndUserAgent
  /// The value of `name=value` in a field after the size (a logged cookie, quoted or not,
  /// possibly `"a=1; name=value"`); falls back to ``hostAndUserAgent`` when absent.
  case cookie(String)
}

/// Parses NCSA Common and Combined access-log lines (Apache, nginx) into ``RecordFields``.
///
/// Shape: `host ident authuser [time] "request" status size` then, optionally,
/// `"referrer" "user-agent"` and any number of extra fields (quoted or not).
///
/// - The request ends at the first `"` (not escaped by `\`) followed by a space, a 3-digit
///   status, a space and a size (digits or `-`) after which the rest of the line splits
///   cleanly into fields. So raw spaces and even unescaped quotes inside the request are
///   read correctly (`"GET /x"y.html HTTP/1.0" 200 12`), and so are custom formats with a
///   quoted field followed by a number later in the line.
/// - The request is `METHOD target [PROTOCOL]`; the protocol may be missing (HTTP/0.9)
///   and the target may contain spaces. A request of `-` or `""` (no request line was
///   received) carries no page view: the line is `.skip`ped.
/// - `\"` and `\\` inside quoted fields and the request are unescaped; other backslash
///   sequences (`\x16`) are kept as they are.
/// - A blank line is `.skip`; a raw NUL byte is `.bad(.nulByte)`; anything else not of this
///   shape is `.bad(.invalidAccessLog)`.
///
/// Fills `.timestamp` (the text inside `[...]`, see ``TimestampFormat/clf``), `.anonymousId`
/// (per ``AccessLogVisitor``), `.userId` (authuser unless `-`), `.type` (`page`), `.event`
/// (the method), `.page` (the target with its query), `.status`, `.referrer` and
/// `.userAgent` (absent when `-` or empty).
public struct AccessLogParser: LineParser, Sendable {
  /// The visitor rule.
  public let visitor: AccessLogVisitor
  private let cookieName: [UInt8]

  /// Creates a parser identifying visitors by `visitor`.
  public init(visitor: AccessLogVisitor) {
    self.visitor = visitor
    if case .cookie(let name) = visitor {
      cookieName = Array(name.utf8) + [UInt8(ascii: "=")]
    } else {
      cookieName = []
    }
  }

  /// Parses one access-log line (see the type's shape rules).
  public mutating func parse(_ line: UnsafeBufferPointer<UInt8>, into fields: inout RecordFields)
    -> ParseOutcome
  {
    guard let base = line.baseAddress, line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else {
      return .skip
    }
    if line.contains(0) { return .bad(.nulByte) }
    let text = AccessLogText(base: base, count: line.count)
    guard let shape = text.shape() else { return .bad(.invalidAccessLog) }

    let request = shape.request
    let requestIsEmpty =
      request.isEmpty || (request.count == 1 && base[request.lowerBound] == UInt8(ascii: "-"))
    if requestIsEmpty { return .skip }

    fields.set(.timestamp, text.slice(shape.time))
    if !text.isDash(shape.authuser) { fields.set(.userId, text.slice(shape.authuser)) }
    let page: StaticString = "page"
    fields.set(.type, UnsafeBufferPointer(start: page.utf8Start, count: page.utf8CodeUnitCount))
    let (method, target) = text.splitRequest(request)
    fields.set(.event, text.slice(method))
    if let target { text.setUnescaped(.page, target, in: &fields) }
    fields.set(.status, text.slice(shape.status))
    if let referrer = shape.referrer, !referrer.isEmpty, !text.isDash(referrer) {
      text.setUnescaped(.referrer, referrer, in: &fields)
    }
    var agent: Range<Int>?
    if let userAgent = shape.userAgent, !userAgent.isEmpty, !text.isDash(userAgent) {
      text.setUnescaped(.userAgent, userAgent, in: &fields)
      agent = userAgent
    }

    if !cookieName.isEmpty,
      let value = cookieName.withUnsafeBufferPointer({
        text.cookieValue(named: $0, in: shape.tail)
      })
    {
      fields.set(.anonymousId, text.slice(value))
    } else if visitor == .host || agent == nil {
      fields.set(.anonymousId, text.slice(shape.host))
    } else if let agent {
      fields.begin(.anonymousId)
      fields.append(contentsOf: text.slice(shape.host))
      fields.append(0x20)
      text.appendUnescaped(agent, to: &fields)
      fields.end(.anonymousId)
    }
    return .record
  }
}
