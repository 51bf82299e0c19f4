/// Path mining options (the `paths` section of a pipeline file). Placeholder: the paths
/// stage defines its options here.
public struct PathsSpec: Codable, Sendable, Equatable {
  public init() {}

  /// Problems with the options, each naming its key path.
  public func validate(path: String) -> [String] { [] }
}
