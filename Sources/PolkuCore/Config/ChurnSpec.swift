/// Churn options (the `churn` section of a pipeline file). Placeholder: the churn stage
/// defines its options here.
public struct ChurnSpec: Codable, Sendable, Equatable {
  public init() {}
}
