/// Turns raw page paths into the page names sessions and paths use.
///
/// Rules run in this order: keep only the path of a full URL, drop `?query`/`#fragment`,
/// lower-case, drop a trailing slash (the root stays `/`), then each regex rewrite
/// (`/product/[0-9]+` → `/product/:id`; `$1`… refer to capture groups). Called once per
/// distinct raw path per file, never per event, so regexes cost nothing on the hot path.
public struct PageNormalizer: @unchecked Sendable {
  // Regex is not Sendable; a normaliser is only ever used by one thread at a time
  // (each ingest worker builds its own from the spec).
  private let spec: PageSpec
  private let rewrites: [(Regex<AnyRegexOutput>, String)]

  public init(spec: PageSpec) throws {
    self.spec = spec
    rewrites = try spec.rewrites.map { (try Regex($0.pattern), $0.replacement) }
  }

  /// The normalised form of `raw`.
  public func normalize(_ raw: String) -> String {
    var path = Substring(raw)
    if spec.stripHost, let scheme = PageNormalizer.schemeEnd(path) {
      let afterScheme = path[scheme...]
      path = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
    }
    if spec.stripQuery, let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) {
      path = path[..<cut]
    }
    var text = spec.lowercase ? path.lowercased() : String(path)
    if spec.stripTrailingSlash {
      while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
    }
    if text.isEmpty { text = "/" }
    for (regex, replacement) in rewrites {
      text = PageNormalizer.replace(text, regex, replacement)
    }
    return text
  }

  /// The index just after `://` when the text starts with a URL scheme.
  static func schemeEnd(_ text: Substring) -> Substring.Index? {
    guard let colon = text.firstIndex(of: ":"),
      text[..<colon].allSatisfy({ $0.isLetter || $0 == "+" || $0 == "-" || $0 == "." }),
      text[colon...].hasPrefix("://")
    else { return nil }
    return text.index(colon, offsetBy: 3)
  }

  static func replace(_ text: String, _ regex: Regex<AnyRegexOutput>, _ template: String)
    -> String
  {
    var result = ""
    var last = text.startIndex
    for match in text.matches(of: regex) {
      result += text[last..<match.range.lowerBound]
      result += expand(template, match.output)
      last = match.range.upperBound
    }
    result += text[last...]
    return result
  }

  private static func expand(_ template: String, _ output: AnyRegexOutput) -> String {
    guard template.contains("$") else { return template }
    var result = ""
    var chars = template.makeIterator()
    while let char = chars.next() {
      guard char == "$" else {
        result.append(char)
        continue
      }
      guard let digit = chars.next() else {
        result.append("$")
        break
      }
      if let group = digit.wholeNumberValue, group < output.count {
        result += output[group].substring.map(String.init) ?? ""
      } else {
        result.append("$")
        result.append(digit)
      }
    }
    return result
  }
}
