import PolkuCore

/// Writes the touchpoints CSV (RFC 4180) of non-web channels, keyed by user id.
///
/// Header `timestamp,user_id,anonymous_id,channel,touchpoint,detail,message_id`; details
/// with commas, quotes or a newline are quoted (the newline makes a two-line record).
/// Noise: re-sent duplicates (same message id, another file) and malformed records: a
/// wrong field count (`invalid_csv`), an empty timestamp (`missing_timestamp`), an
/// unparseable one (`invalid_timestamp`).
final class TouchpointWriter {
  static let header = Array(
    "timestamp,user_id,anonymous_id,channel,touchpoint,detail,message_id\n".utf8)

  let files: OutputFiles
  private let line = ByteBuffer(capacity: 1024)
  private var messages: UInt64 = 0
  private let salt: UInt64
  private var rng: SplitMix64

  init(files: OutputFiles, seed: UInt64) {
    self.files = files
    salt = SplitMix64.mix(seed ^ 0x7C5)
    rng = SplitMix64(seed: SplitMix64.mix(seed ^ 0x7C51))
  }

  /// Writes one contact of `person` (plus any noise derived from it).
  func write(_ event: PlannedEvent, person: PersonPlan) throws {
    let anonymous = event.device >= 0 ? person.devices[event.device].anonymous : nil
    let detail = SiteText.details[rng.below(SiteText.details.count)]
    messages += 1
    build(
      event, user: person.user ?? 0, anonymous: anonymous, detail: detail,
      message: SplitMix64.mix(messages ^ salt), stamp: .normal, fields: 7)
    let target = files.file(for: event.time)
    try files.add(line.bytes, to: target, as: .accepted)
    if rng.chance(0.03), let other = files.otherFile(than: target) {
      try files.add(line.bytes, to: other, as: .duplicate)
    }
    if rng.chance(0.06) {
      messages += 1
      let roll = max(0, rng.below(4) - 1)  // 0: invalid_csv (half), 1: missing, 2: invalid
      build(
        event, user: person.user ?? 0, anonymous: anonymous, detail: detail,
        message: SplitMix64.mix(messages ^ salt),
        stamp: roll == 1 ? .missing : (roll == 2 ? .invalid : .normal),
        fields: roll == 0 ? (rng.chance(0.5) ? 5 : 9) : 7)
      let reason: BadRowReason =
        roll == 0 ? .invalidCSV : (roll == 1 ? .missingTimestamp : .invalidTimestamp)
      try files.add(line.bytes, to: target, as: .malformed(reason))
    }
  }

  private func build(
    _ event: PlannedEvent, user: Int, anonymous: UInt64?, detail: [UInt8], message: UInt64,
    stamp: SegmentWriter.Stamp, fields: Int
  ) {
    line.removeAll()
    switch stamp {
    case .normal:
      CivilTime.appendISO(event.time, offsetMinutes: message % 20 == 0 ? 120 : 0, to: line)
    case .missing: break
    case .invalid: line.append("2026-11-31T24:99:00Z")
    }
    line.append(",u-")
    line.append(decimal: Int64(user))
    line.append(UInt8(ascii: ","))
    if let anonymous {
      line.append("a-")
      line.append(hex16: anonymous)
    }
    line.append(UInt8(ascii: ","))
    line.append(event.contact.channel)
    line.append(UInt8(ascii: ","))
    line.append(event.contact.touchpoint)
    if fields >= 6 {
      line.append(UInt8(ascii: ","))
      appendQuoted(detail)
    }
    if fields >= 7 {
      line.append(",t-")
      line.append(hex16: message)
    }
    if fields > 7 {
      for _ in 7..<fields { line.append(",extra") }
    }
    line.append(UInt8(ascii: "\n"))
  }

  /// Appends a field, quoting it (doubling quotes) when it holds `,`, `"` or a newline.
  private func appendQuoted(_ field: [UInt8]) {
    let needsQuotes = field.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
    guard needsQuotes else { return line.append(field) }
    line.append(UInt8(ascii: "\""))
    for byte in field {
      if byte == 34 { line.append(UInt8(ascii: "\"")) }
      line.append(byte)
    }
    line.append(UInt8(ascii: "\""))
  }
}
