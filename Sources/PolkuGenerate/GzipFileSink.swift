/// A ``ByteSink`` that gzips into a file (`<path>.gz`), one member per file.
public final class GzipFileSink: ByteSink {
  private let file: FileSink
  private let writer: GzipWriter

  /// Creates `path` (the caller adds `.gz`); `level` is zlib's 1…9.
  public init(path: String, level: Int = 6) throws {
    file = try FileSink(path: path)
    writer = try GzipWriter(fileDescriptor: file.descriptorForWriting, level: level)
  }

  public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    try writer.write(UnsafeRawBufferPointer(bytes))
  }

  public func close() throws {
    try writer.finish()
    try file.close()
  }

  /// A factory that writes `<relative path>.gz` files under `directory`.
  public static func factory(directory: String, level: Int = 6) -> SinkFactory {
    { relativePath in
      try FileSink.makeParentDirectories(of: directory + "/" + relativePath)
      return try GzipFileSink(path: directory + "/" + relativePath + ".gz", level: level)
    }
  }
}
