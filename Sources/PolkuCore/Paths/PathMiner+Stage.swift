extension PathMiner: Stage {
  public static let name = "paths"

  /// Mines `run`: see ``mine(_:)``.
  public func run(_ run: consuming SessionizedRun) -> PathReport {
    mine(run)
  }
}
