/// Events of one file packed for a map output's `E` line (``MapPart``): binary, then base64.
///
/// Each event, after the one before it in the block (the first after time 0):
///
/// ```
/// varint  zigzag(time - previous time)      milliseconds; files are nearly in time order
/// varint  channel << 2 | kind
/// varint  anonymous id, user id, name, source    the file's own ids
/// 8 bytes message hash, little-endian
/// ```
///
/// About 20 bytes an event before base64 (27 after), against 52 as decimal text: the map
/// output is what crosses the cluster to the merge.
enum EventBlock {
  /// Events per `E` line.
  static let size = 512

  /// Appends `events`, packed, to `out`.
  static func pack(_ events: ArraySlice<Event>, into out: inout [UInt8]) {
    var previous: Int64 = 0
    for event in events {
      let delta = event.time &- previous
      previous = event.time
      appendVarint(UInt64(bitPattern: delta << 1 ^ delta >> 63), to: &out)
      appendVarint(UInt64(event.channel) << 2 | UInt64(event.kind.rawValue), to: &out)
      appendVarint(UInt64(event.anonymousId), to: &out)
      appendVarint(UInt64(event.userId), to: &out)
      appendVarint(UInt64(event.name), to: &out)
      appendVarint(UInt64(event.source), to: &out)
      var hash = event.messageHash
      for _ in 0..<8 {
        out.append(UInt8(truncatingIfNeeded: hash))
        hash >>= 8
      }
    }
  }

  /// Appends the `count` events `bytes` packs to `events`; false, with `events` as it was,
  /// when `bytes` does not hold exactly `count` valid events.
  static func unpack(
    _ bytes: UnsafeBufferPointer<UInt8>, count: Int, into events: inout [Event]
  ) -> Bool {
    let before = events.count
    var at = 0
    var previous: Int64 = 0
    func varint() -> UInt64? {
      var value: UInt64 = 0
      var shift: UInt64 = 0
      while at < bytes.count {
        let byte = bytes[at]
        at += 1
        guard shift < 64, shift < 63 || byte <= 1 else { return nil }
        value |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { return value }
        shift += 7
      }
      return nil
    }
    for _ in 0..<count {
      guard let zigzag = varint(), let tags = varint(), tags <= 255 << 2 | 3,
        let anon = varint(), let user = varint(), let name = varint(), let source = varint(),
        let anonId = UInt32(exactly: anon), let userId = UInt32(exactly: user),
        let nameId = UInt32(exactly: name), let sourceId = UInt32(exactly: source),
        at + 8 <= bytes.count
      else {
        events.removeSubrange(before...)
        return false
      }
      let (time, overflow) = previous.addingReportingOverflow(
        Int64(bitPattern: zigzag >> 1 ^ (0 &- (zigzag & 1))))
      guard !overflow, Event.timeRange.contains(time),
        let kind = EventKind(rawValue: UInt8(tags & 3))
      else {
        events.removeSubrange(before...)
        return false
      }
      previous = time
      var hash: UInt64 = 0
      for offset in 0..<8 { hash |= UInt64(bytes[at + offset]) << (8 * UInt64(offset)) }
      at += 8
      events.append(
        Event(
          time: time, messageHash: hash, anonymousId: anonId, userId: userId, name: nameId,
          source: sourceId, channel: UInt8(tags >> 2), kind: kind))
    }
    guard at == bytes.count else {
      events.removeSubrange(before...)
      return false
    }
    return true
  }

  private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
    var value = value
    while value >= 0x80 {
      out.append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    out.append(UInt8(value))
  }
}
