import Testing

@testable import PolkuCore

@Suite struct PageNormalizerTests {
  @Test(arguments: [
    ("/Pricing/?utm_source=x", "/pricing"),
    ("/", "/"),
    ("", "/"),
    ("https://shop.example.com/Cart#top", "/cart"),
    ("/product/12345", "/product/:id"),
    ("/product/12345/reviews", "/product/12345/reviews"),
    ("/blog/My-Post/", "/blog/:slug"),
    ("/users/42/orders/7", "/users/:id/orders/7"),
  ])
  func normalizes(raw: String, expected: String) throws {
    var spec = PageSpec()
    spec.rewrites = [
      .init(pattern: "^/product/[0-9]+$", replacement: "/product/:id"),
      .init(pattern: "^/blog/[^/]+$", replacement: "/blog/:slug"),
      .init(pattern: "^/users/([0-9]+)/orders", replacement: "/users/:id/orders"),
    ]
    #expect(try PageNormalizer(spec: spec).normalize(raw) == expected)
  }

  @Test func captureGroupsExpand() throws {
    var spec = PageSpec()
    spec.rewrites = [.init(pattern: "^/(en|fi)/(.*)$", replacement: "/$2?lang=$1")]
    #expect(try PageNormalizer(spec: spec).normalize("/fi/hinnat") == "/hinnat?lang=fi")
  }

  @Test func rulesCanBeTurnedOff() throws {
    var spec = PageSpec()
    spec.lowercase = false
    spec.stripQuery = false
    spec.stripTrailingSlash = false
    #expect(try PageNormalizer(spec: spec).normalize("/A/?q=1") == "/A/?q=1")
  }
}
