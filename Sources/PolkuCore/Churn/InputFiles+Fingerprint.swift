import CZlib

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension InputFiles {
  /// A cheap content fingerprint for "was this input folded before?": the size and the
  /// CRC-32 of the first and last MiB. A renamed or copied file keeps its fingerprint;
  /// rewriting a file changes its size or its ends.
  public static func fingerprint(_ path: String) -> InputFingerprint {
    let size = size(of: path) ?? 0
    var head: UInt = 0
    var tail: UInt = 0
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd >= 0 {
      defer { close(fd) }
      var buffer = [UInt8](repeating: 0, count: 1 << 20)
      head = crcOf(fd, at: 0, &buffer)
      tail = crcOf(fd, at: max(0, size - buffer.count), &buffer)
    }
    return InputFingerprint(path: path, size: Int64(size), hash: "\(hex(head))\(hex(tail))")
  }

  private static func crcOf(_ fd: Int32, at offset: Int, _ buffer: inout [UInt8]) -> UInt {
    let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
    guard count > 0 else { return 0 }
    return buffer.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt(count)) }
  }

  private static func hex(_ value: UInt) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - text.count)) + text
  }
}
