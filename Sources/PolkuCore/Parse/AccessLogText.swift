/// The byte-level pieces of one access-log line, found without copying.
struct AccessLogText {
  let base: UnsafePointer<UInt8>
  let count: Int

  /// Where the parts of a well-shaped line are.
  struct Shape {
    var host: Range<Int>
    var authuser: Range<Int>
    var time: Range<Int>
    /// Inside the quotes.
    var request: Range<Int>
    var status: Range<Int>
    /// Inside the quotes, when the first field after the size is quoted.
    var referrer: Range<Int>?
    /// Inside the quotes, when the first two fields after the size are quoted.
    var userAgent: Range<Int>?
    /// Everything after the size.
    var tail: Range<Int>
  }

  /// One field after the size.
  enum TailField {
    case end
    case field(Range<Int>, quoted: Bool)
    case malformed
  }

  private static let space: UInt8 = 0x20
  private static let quote = UInt8(ascii: "\"")
  private static let backslash = UInt8(ascii: "\\")

  func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
  }

  func isDash(_ range: Range<Int>) -> Bool {
    range.count == 1 && base[range.lowerBound] == UInt8(ascii: "-")
  }

  private func find(_ byte: UInt8, from start: Int, to stop: Int) -> Int? {
    var index = start
    while index < stop {
      if base[index] == byte { return index }
      index += 1
    }
    return nil
  }

  private func isDigit(_ index: Int) -> Bool {
    index < count && base[index] &- UInt8(ascii: "0") < 10
  }

  /// Finds the parts, or nil when the line is not of the access-log shape.
  func shape() -> Shape? {
    guard let hostEnd = find(Self.space, from: 0, to: count), hostEnd > 0,
      let identEnd = find(Self.space, from: hostEnd + 1, to: count), identEnd > hostEnd + 1
    else { return nil }
    var bracket = identEnd + 1
    while bracket < count
      && !(base[bracket] == UInt8(ascii: "[") && base[bracket - 1] == Self.space)
    {
      bracket += 1
    }
    guard bracket < count, bracket - 1 > identEnd + 1,
      let timeEnd = find(UInt8(ascii: "]"), from: bracket + 1, to: count), timeEnd > bracket + 1,
      timeEnd + 2 < count, base[timeEnd + 1] == Self.space, base[timeEnd + 2] == Self.quote
    else { return nil }
    let requestStart = timeEnd + 3
    var candidate = requestStart
    while let close = find(Self.quote, from: candidate, to: count) {
      candidate = close + 1
      guard !isEscaped(close, after: requestStart), let sizeEnd = statusAndSize(after: close),
        var shape = tail(from: sizeEnd)
      else { continue }
      shape.host = 0..<hostEnd
      shape.authuser = (identEnd + 1)..<(bracket - 1)
      shape.time = (bracket + 1)..<timeEnd
      shape.request = requestStart..<close
      shape.status = (close + 2)..<(close + 5)
      return shape
    }
    return nil
  }

  /// Whether the quote at `index` is escaped by an odd run of backslashes.
  private func isEscaped(_ index: Int, after start: Int) -> Bool {
    var run = 0
    var back = index - 1
    while back >= start && base[back] == Self.backslash {
      run += 1
      back -= 1
    }
    return run % 2 == 1
  }

  /// When `" ddd size` follows the quote at `close`, the end of the size.
  private func statusAndSize(after close: Int) -> Int? {
    guard close + 6 < count, base[close + 1] == Self.space, isDigit(close + 2),
      isDigit(close + 3), isDigit(close + 4), base[close + 5] == Self.space
    else { return nil }
    let sizeStart = close + 6
    let sizeEnd = find(Self.space, from: sizeStart, to: count) ?? count
    if sizeEnd == sizeStart + 1 && base[sizeStart] == UInt8(ascii: "-") { return sizeEnd }
    guard sizeEnd > sizeStart else { return nil }
    for index in sizeStart..<sizeEnd where !isDigit(index) { return nil }
    return sizeEnd
  }

  /// Checks that everything after the size splits into fields; picks referrer and agent.
  private func tail(from start: Int) -> Shape? {
    var shape = Shape(
      host: 0..<0, authuser: 0..<0, time: 0..<0, request: 0..<0, status: 0..<0,
      tail: start..<count)
    var index = start
    var position = 0
    while true {
      switch nextField(&index) {
      case .end: return shape
      case .malformed: return nil
      case .field(let range, let quoted):
        if position == 0 && quoted { shape.referrer = range }
        if position == 1 && quoted && shape.referrer != nil { shape.userAgent = range }
        position += 1
      }
    }
  }

  /// The field starting at or after `index` (spaces skipped); advances `index` past it.
  func nextField(_ index: inout Int) -> TailField {
    while index < count && (base[index] == Self.space || base[index] == 0x09) { index += 1 }
    guard index < count else { return .end }
    let start = index
    if base[start] == Self.quote {
      var scan = start + 1
      while scan < count {
        let byte = base[scan]
        if byte == Self.backslash {
          scan += 2
        } else if byte == Self.quote {
          guard scan + 1 == count || base[scan + 1] == Self.space || base[scan + 1] == 0x09 else {
            return .malformed
          }
          index = scan + 1
          return .field((start + 1)..<scan, quoted: true)
        } else {
          scan += 1
        }
      }
      return .malformed
    }
    while index < count && base[index] != Self.space && base[index] != 0x09 {
      if base[index] == Self.quote { return .malformed }
      index += 1
    }
    return .field(start..<index, quoted: false)
  }

  /// Splits `METHOD target [HTTP/x]` into the method and the target (nil when missing).
  func splitRequest(_ request: Range<Int>) -> (method: Range<Int>, target: Range<Int>?) {
    guard let space = find(Self.space, from: request.lowerBound, to: request.upperBound) else {
      return (request, nil)
    }
    var start = space + 1
    while start < request.upperBound && base[start] == Self.space { start += 1 }
    var stop = request.upperBound
    var last = stop - 1
    while last > start && base[last] != Self.space { last -= 1 }
    if last > start && last + 5 < request.upperBound {
      let protocolName: StaticString = "HTTP/"
      var isProtocol = true
      for offset in 0..<5 where base[last + 1 + offset] != protocolName.utf8Start[offset] {
        isProtocol = false
      }
      if isProtocol { stop = last }
    }
    while stop > start && base[stop - 1] == Self.space { stop -= 1 }
    return (request.lowerBound..<space, stop > start ? start..<stop : nil)
  }

  /// Stores `range` as `field`, turning `\"` into `"` and `\\` into `\`.
  func setUnescaped(_ field: Field, _ range: Range<Int>, in fields: inout RecordFields) {
    guard find(Self.backslash, from: range.lowerBound, to: range.upperBound) != nil else {
      fields.set(field, slice(range))
      return
    }
    fields.begin(field)
    appendUnescaped(range, to: &fields)
    fields.end(field)
  }

  /// Appends `range` with `\"` and `\\` unescaped.
  func appendUnescaped(_ range: Range<Int>, to fields: inout RecordFields) {
    var index = range.lowerBound
    while index < range.upperBound {
      let byte = base[index]
      if byte == Self.backslash && index + 1 < range.upperBound
        && (base[index + 1] == Self.quote || base[index + 1] == Self.backslash)
      {
        fields.append(base[index + 1])
        index += 2
      } else {
        fields.append(byte)
        index += 1
      }
    }
  }

  /// The value of the first `name=value` (where `name` includes the `=`) in any field of
  /// `tail`, fields split on `;`; nil when absent, empty or `-`.
  func cookieValue(named name: UnsafeBufferPointer<UInt8>, in tail: Range<Int>) -> Range<Int>? {
    var index = tail.lowerBound
    while case .field(let range, _) = nextField(&index) {
      var part = range.lowerBound
      while part < range.upperBound {
        while part < range.upperBound && base[part] == Self.space { part += 1 }
        let partEnd = find(UInt8(ascii: ";"), from: part, to: range.upperBound) ?? range.upperBound
        if partEnd - part > name.count
          && name.indices.allSatisfy({ base[part + $0] == name[$0] })
        {
          var valueEnd = partEnd
          while valueEnd > part + name.count && base[valueEnd - 1] == Self.space { valueEnd -= 1 }
          let value = (part + name.count)..<valueEnd
          if !value.isEmpty && !isDash(value) { return value }
        }
        part = partEnd + 1
      }
    }
    return nil
  }
}
