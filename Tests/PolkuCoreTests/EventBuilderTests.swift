import Testing

@testable import PolkuCore

@Suite struct EventBuilderTests {
  @Test(arguments: [
    ("page", EventKind.page), ("Page", .page), ("SCREEN", .page), ("page_view", .page),
    ("PAGE_VIEW", .page), ("track", .track), ("Identify", .identify), ("alias", .identify),
    ("touchpoint", .contact), ("something_else", .track), ("pag", .track),
  ])
  func kindFromType(text: String, kind: EventKind) {
    var copy = text
    #expect(copy.withUTF8 { EventBuilder.kind(of: $0) } == kind)
  }

  @Test func emptyTypeMeansUnknown() {
    #expect([UInt8]().withUnsafeBufferPointer { EventBuilder.kind(of: $0) } == nil)
  }

  func build(_ json: String, spec: PipelineSpec = PipelineSpec()) throws -> EventBuilder.Result {
    var builder = try EventBuilder(
      input: InputSpec(format: .jsonl), pipeline: spec, window: nil)
    var parser = JSONLinesParser(paths: InputSpec(format: .jsonl).fieldMap)
    var fields = RecordFields()
    var line = json
    return line.withUTF8 { bytes in
      #expect(parser.parse(bytes, into: &fields) == .record)
      return builder.build(fields)
    }
  }

  @Test(arguments: ["null", "NULL", "undefined", "anonymous", "0", ""])
  func junkUserIdsCountAsAbsent(junk: String) throws {
    let result = try build(
      #"{"timestamp":"2026-11-01T00:00:00Z","type":"page","anonymousId":"a1","userId":"\#(junk)","context":{"page":{"path":"/"}}}"#
    )
    guard case .event(let event) = result else {
      Issue.record("expected an event, got \(result)")
      return
    }
    #expect(event.userId == 0)
    #expect(event.anonymousId != 0)
  }

  @Test func onlyJunkIdsIsMissingVisitor() throws {
    let result = try build(
      #"{"timestamp":"2026-11-01T00:00:00Z","type":"page","anonymousId":"undefined","userId":null,"context":{"page":{"path":"/"}}}"#
    )
    guard case .bad(let reason) = result else {
      Issue.record("expected a bad row, got \(result)")
      return
    }
    #expect(reason == .missingVisitor)
  }

  @Test func botsAndAssetsAreFiltered() throws {
    let bot = try build(
      #"{"timestamp":"2026-11-01T00:00:00Z","type":"page","anonymousId":"a","context":{"page":{"path":"/"},"userAgent":"Mozilla/5.0 (compatible; Googlebot/2.1)"}}"#
    )
    guard case .filtered(.bot) = bot else {
      Issue.record("expected bot filter, got \(bot)")
      return
    }
    let asset = try build(
      #"{"timestamp":"2026-11-01T00:00:00Z","type":"page","anonymousId":"a","context":{"page":{"path":"/static/app.js?v=3"}}}"#
    )
    guard case .filtered(.asset) = asset else {
      Issue.record("expected asset filter, got \(asset)")
      return
    }
  }

  /// Files of one run share page verdicts: builders with a shared cache name pages as a
  /// builder with its own does, and each distinct raw page is normalised once per run.
  @Test func pageVerdictsAreSharedAcrossFiles() throws {
    var spec = PipelineSpec()
    spec.pages.rewrites = [
      PageSpec.Rewrite(pattern: "^/product/[0-9]+$", replacement: "/product/:id")
    ]
    spec.filters.excludePages = ["^/static/"]
    let pages = ["/product/12", "/Product/7/", "/static/a.js", "/cart?x=1", "/product/12"]
    func names(_ builder: inout EventBuilder) -> [String] {
      var parser = JSONLinesParser(paths: InputSpec(format: .jsonl).fieldMap)
      var fields = RecordFields()
      return pages.map { page in
        var line =
          #"{"timestamp":"2026-11-01T00:00:00Z","type":"page","anonymousId":"a","context":{"page":{"path":"\#(page)"}}}"#
        return line.withUTF8 { bytes in
          _ = parser.parse(bytes, into: &fields)
          switch builder.build(fields) {
          case .event(let event): return builder.tables.names.string(event.name)
          case .filtered(let why): return "filtered: \(why.rawValue)"
          case .bad(let reason): return "bad: \(reason)"
          }
        }
      }
    }
    let expected = [
      "/product/:id", "/product/:id", "filtered: asset", "/cart", "/product/:id",
    ]
    var alone = try EventBuilder(
      input: InputSpec(format: .jsonl), pipeline: spec, window: nil)
    #expect(names(&alone) == expected)
    let cache = PageNameCache()
    for file in 0..<3 {
      var builder = try EventBuilder(
        input: InputSpec(format: .jsonl), pipeline: spec, window: nil,
        pageCache: cache)
      #expect(names(&builder) == expected, "file \(file)")
    }
    // The cache now knows the 4 distinct raw pages: asking again computes nothing.
    var computed = 0
    for page in Set(pages) {
      _ = Array(page.utf8).withUnsafeBufferPointer { raw in
        cache.verdict(raw) {
          computed += 1
          return .invalid
        }
      }
    }
    #expect(computed == 0)
    let fresh = Array("/new".utf8).withUnsafeBufferPointer { raw in
      cache.verdict(raw) {
        computed += 1
        return .excluded
      }
    }
    #expect(computed == 1)
    guard case .excluded = fresh else {
      Issue.record("expected the computed verdict, got \(fresh)")
      return
    }
  }
}
