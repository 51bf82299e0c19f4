/// Churn options (the `churn` section of a pipeline file). Placeholder: the churn stage
/// defines its options here.
public struct ChurnSpec: Codable, Sendable, Equatable {
  public init() {}

  /// Problems with the options, each naming its key path.
  public func validate(path: String) -> [String] { [] }
}
