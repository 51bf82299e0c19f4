#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension PipelineSpec {
  /// The spec with every default filled in, as pretty JSON with sorted keys; it decodes
  /// back to an equal spec (`polku explain`).
  public func effectiveJSON() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }
}
