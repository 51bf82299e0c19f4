/// Path mining options (the `paths` section of a pipeline file). Placeholder: the paths
/// stage defines its options here.
public struct PathsSpec: Codable, Sendable, Equatable {
  public init() {}
}
