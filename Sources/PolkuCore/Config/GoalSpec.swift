/// A business goal: a session reaches it when one of its events matches.
///
/// `{"name": "signup", "event": "Signed Up"}` matches track events and contacts by name;
/// `{"name": "purchase", "page": "/checkout/complete"}` matches page views by their
/// normalised path. Both may be given (either matches).
public struct GoalSpec: Codable, Sendable, Equatable {
  public var name: String
  public var event: String?
  public var page: String?

  public init(name: String, event: String? = nil, page: String? = nil) {
    self.name = name
    self.event = event
    self.page = page
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, event, page
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    event = try c.decodeIfPresent(String.self, forKey: .event)
    page = try c.decodeIfPresent(String.self, forKey: .page)
  }
}
