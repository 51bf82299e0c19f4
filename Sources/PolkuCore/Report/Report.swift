#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `report.html`: written by a run into its staging folder, or rebuilt in a published
/// output folder by `polku report`.
public enum Report {
  public static let fileName = "report.html"

  /// The report of the outputs in `folder`, with the run's inputs and pipeline hash.
  public static func file(folder: String, inputs: [InputStatus], pipelineSHA256: String)
    throws -> OutputFile
  {
    let data = try ReportData.load(
      folder: folder, inputs: inputs, pipelineSHA256: pipelineSHA256)
    return OutputFile(name: fileName, bytes: ReportPage.build(data), rows: 1)
  }

  /// What `polku report` did.
  public struct Rebuilt: Sendable {
    public var path: String
    public var bytes: Int
    /// The report already there had the same bytes.
    public var unchanged: Bool
  }

  /// Rebuilds `report.html` in the published output folder `folder` from its files and
  /// `manifest.json`, holding the folder's run lock. The report is written to a temporary
  /// file and renamed into place; when its bytes differ from what the manifest lists,
  /// `manifest.json` is rewritten the same way with the report's new size and checksum.
  public static func rebuild(folder: String) throws -> Rebuilt {
    var trimmed = folder
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    let manifestPath = "\(trimmed)/manifest.json"
    // Checked before the lock, which would create folders and a lock file for a typo.
    guard FileBytes.exists(manifestPath) else {
      throw PolkuError(.noInput, "\(trimmed) is not a polku output folder (no manifest.json)")
    }
    let lock = try RunLock(for: trimmed)
    defer { lock.release() }
    var manifest: Manifest
    do {
      manifest = try JSONDecoder().decode(
        Manifest.self, from: Data(try FileBytes.read(manifestPath)))
    } catch let error as PolkuError {
      throw error
    } catch {
      throw PolkuError(.dataQuality, "\(manifestPath) is not a polku manifest: \(error)")
    }
    let report = try file(
      folder: trimmed, inputs: manifest.inputs, pipelineSHA256: manifest.pipeline.sha256)
    let path = "\(trimmed)/\(fileName)"
    let entry = Manifest.Output(
      file: fileName, rows: report.rows, bytes: report.bytes.count,
      sha256: SHA256.hex(report.bytes))
    let unchanged = (try? FileBytes.read(path)) == report.bytes
    if !unchanged { try writeReplacing(report.bytes, at: path) }
    if !manifest.outputs.contains(entry) {
      if let index = manifest.outputs.firstIndex(where: { $0.file == fileName }) {
        manifest.outputs[index] = entry
      } else {
        manifest.outputs.append(entry)
      }
      try writeReplacing(try Runner.json(manifest), at: manifestPath)
    }
    return Rebuilt(path: path, bytes: report.bytes.count, unchanged: unchanged)
  }

  /// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
  static func writeReplacing(_ bytes: [UInt8], at path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    do {
      try FileBytes.write(bytes, to: temporary)
      try FileBytes.rename(temporary, to: path)
    } catch {
      unlink(temporary)
      throw error
    }
  }
}
