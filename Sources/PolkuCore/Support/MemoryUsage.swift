/// The process's peak resident memory so far (Linux `VmHWM`), for the manifest.
public enum MemoryUsage {
  /// Peak resident set size in MiB, or nil where `/proc/self/status` is not available.
  public static func peakMiB() -> Int? {
    guard let bytes = try? FileBytes.read("/proc/self/status") else { return nil }
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n")
    where line.hasPrefix("VmHWM:") {
      let digits = line.filter(\.isNumber)
      return Int(digits).map { $0 / 1024 }
    }
    return nil
  }
}
