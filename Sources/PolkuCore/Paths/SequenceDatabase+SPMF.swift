#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A problem in an SPMF sequence file.
public struct SPMFFormatError: Error, CustomStringConvertible, Equatable {
  /// The 1-based line number.
  public var line: Int
  public var message: String
  public var description: String { "SPMF line \(line): \(message)" }
}

extension SequenceDatabase {
  /// Parses the SPMF sequence format used by the public BMS-WebView, MSNBC, FIFA and Kosarak
  /// sets: one sequence a line, `item -1 item -1 ... -2`.
  ///
  /// Items are non-negative integers; `-1` ends an itemset and `-2` the sequence. Every item
  /// becomes its own element (click-streams have single-item itemsets; an itemset with more
  /// items is read as those items in file order). Blank lines and lines starting with `#`,
  /// `%` or `@` (SPMF comments and metadata) are skipped. Works on bytes; no `String` per
  /// line.
  ///
  /// - Throws: ``SPMFFormatError`` on a token that is not an integer.
  public init(spmf bytes: UnsafeBufferPointer<UInt8>) throws {
    self.init()
    reserveCapacity(items: bytes.count / 4, sequences: bytes.count / 32)
    var index = 0
    var line = 1
    let end = bytes.count
    while index < end {
      let first = bytes[index]
      if first == UInt8(ascii: "#") || first == UInt8(ascii: "%") || first == UInt8(ascii: "@") {
        while index < end && bytes[index] != 10 { index += 1 }
        index += 1
        line += 1
        continue
      }
      var itemsInLine = 0
      var sawEnd = false
      while index < end && bytes[index] != 10 {
        let byte = bytes[index]
        if byte == 32 || byte == 9 || byte == 13 {
          index += 1
          continue
        }
        var negative = false
        if byte == UInt8(ascii: "-") {
          negative = true
          index += 1
        }
        var value: UInt64 = 0
        var digits = 0
        while index < end, bytes[index] >= 48, bytes[index] <= 57 {
          value = value * 10 + UInt64(bytes[index] - 48)
          digits += 1
          if value > UInt64(UInt32.max) {
            throw SPMFFormatError(line: line, message: "item out of range")
          }
          index += 1
        }
        if digits == 0 || (index < end && ![32, 9, 13, 10].contains(bytes[index])) {
          throw SPMFFormatError(line: line, message: "expected an integer")
        }
        if negative {
          if value == 2 {
            sawEnd = true
          } else if value != 1 {
            throw SPMFFormatError(line: line, message: "unexpected separator -\(value)")
          }
        } else if !sawEnd {
          appendItem(UInt32(value))
          itemsInLine += 1
        }
      }
      if itemsInLine > 0 || sawEnd { closeSequence() }
      index += 1
      line += 1
    }
  }

  /// Parses SPMF text (tests).
  public init(spmf text: String) throws {
    var copy = text
    self = try copy.withUTF8 { try SequenceDatabase(spmf: $0) }
  }
}

extension SequenceDatabase {
  /// Reads and parses an SPMF sequence file.
  ///
  /// - Throws: `PolkuError` with code `.noInput` when the file cannot be opened, `.io` when
  ///   reading fails, `.dataQuality` on a malformed line.
  public init(spmfFile path: String) throws {
    let bytes = try readWholeFile(path)
    do {
      self = try bytes.withUnsafeBufferPointer { try SequenceDatabase(spmf: $0) }
    } catch let error as SPMFFormatError {
      throw PolkuError(.dataQuality, "\(path): \(error.description)")
    }
  }
}

/// Reads a whole file with POSIX calls (no Foundation).
func readWholeFile(_ path: String) throws -> [UInt8] {
  let fd = open(path, O_RDONLY)
  guard fd >= 0 else {
    throw PolkuError(.noInput, "cannot open \(path): errno \(errno)")
  }
  defer { close(fd) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if count < 0 {
      if errno == EINTR { continue }
      throw PolkuError(.io, "cannot read \(path): errno \(errno)")
    }
    if count == 0 { break }
    bytes.append(contentsOf: chunk[0..<count])
  }
  return bytes
}
