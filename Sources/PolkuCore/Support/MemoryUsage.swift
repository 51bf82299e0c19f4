import CPolkuSystem

/// The process's peak resident memory so far (Linux `VmHWM`), for the manifest.
public enum MemoryUsage {
  /// Hands memory freed by the stage that just ended back to the system.
  ///
  /// glibc keeps freed blocks of its heaps mapped (arrays of up to 32 MiB live there once
  /// the dynamic mmap threshold has risen); between stages almost all of it is free, and
  /// returning it keeps the next stage's peak near what is really in use.
  public static func releaseFreeMemory() {
    polku_release_free_memory()
  }

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
