import PolkuCore

/// Writes NCSA combined access-log lines (nginx) with a trailing `"vid=<anonymous id>"`.
///
/// `203.0.113.7 - - [01/Nov/2026:08:00:01 +0000] "GET /pricing HTTP/1.1" 200 5123
/// "https://ref/" "Mozilla/5.0 …" "vid=a-…"`. Clients are IPv4, IPv6 or host names; 3 %
/// of requests are HTTP/1.0; 2 % are `304 -`; 5 % of times are written in `+0200`
/// (same instant). Times have whole seconds (truncated). Noise: static assets requested
/// after 25 % of page views, malformed lines (truncated: `invalid_access_log`; impossible
/// date: `invalid_timestamp`), bot visits.
final class AccessLogWriter {
  let files: OutputFiles
  private let line = ByteBuffer(capacity: 1024)
  private var rng: SplitMix64

  init(files: OutputFiles, seed: UInt64) {
    self.files = files
    rng = SplitMix64(seed: SplitMix64.mix(seed ^ 0xACC5))
  }

  /// Writes the request of one web page view, plus its asset requests and noise.
  func write(time: Int64, device: PlannedDevice, page: PageText) throws {
    build(
      time: time, address: device.address, anonymous: device.anonymous, path: page.path.bytes,
      referrer: page.referrer.bytes, agent: SiteText.agent(device), asset: false)
    try files.add(line.bytes, to: files.file(for: time), as: .accepted)
    if rng.chance(0.25) {
      for _ in 0..<(1 + rng.below(2)) {
        let at = min(time + rng.within(50...900), files.endMs - 1)
        let asset = SiteText.assets[rng.below(SiteText.assets.count)]
        asset.withUnsafeBufferPointer {
          build(
            time: at, address: device.address, anonymous: device.anonymous, path: $0,
            referrer: page.path.bytes, agent: SiteText.agent(device), asset: true)
        }
        try files.add(line.bytes, to: files.file(for: at), as: .asset)
      }
    }
    if rng.chance(0.003) {
      build(
        time: time, address: device.address, anonymous: device.anonymous, path: page.path.bytes,
        referrer: page.referrer.bytes, agent: SiteText.agent(device), asset: false)
      let reason: BadRowReason
      if rng.chance(0.5) {
        reason = .invalidAccessLog
        // Cut inside the quoted request: no closing quote, status, size or fields after it.
        var cut = 0
        for index in 0..<line.count where line.base[index] == UInt8(ascii: "\"") {
          cut = index
          break
        }
        line.truncate(to: cut + 2 + rng.below(4))
        line.append(UInt8(ascii: "\n"))
      } else {
        reason = .invalidTimestamp
        var open = 0
        for index in 0..<line.count where line.base[index] == UInt8(ascii: "[") {
          open = index
          break
        }
        // `[dd/Mon/yyyy:…` → `[99/Xyz/yyyy:…` (day 99 of no month).
        let bad: StaticString = "99/Xyz"
        bad.withUTF8Buffer {
          for (offset, byte) in $0.enumerated() { line.base[open + 1 + offset] = byte }
        }
      }
      try files.add(line.bytes, to: files.file(for: time), as: .malformed(reason))
    }
  }

  /// Writes one request of a bot visit.
  func writeBot(time: Int64, anonymous: UInt64, agent: Int, page: PageText) throws {
    build(
      time: time, address: anonymous, anonymous: anonymous, path: page.path.bytes,
      referrer: page.referrer.bytes, agent: SiteText.botAgents[agent], asset: false)
    try files.add(line.bytes, to: files.file(for: time), as: .bot)
  }

  private func build(
    time: Int64, address: UInt64, anonymous: UInt64, path: UnsafeBufferPointer<UInt8>,
    referrer: UnsafeBufferPointer<UInt8>, agent: [UInt8], asset: Bool
  ) {
    line.removeAll()
    appendClient(address)
    line.append(" - - [")
    CivilTime.appendNCSA(time, offsetMinutes: rng.chance(0.05) ? 120 : 0, to: line)
    line.append(#"] "GET "#)
    line.append(path)
    line.append(rng.chance(0.03) ? #" HTTP/1.0" "# : #" HTTP/1.1" "#)
    if rng.chance(asset ? 0.4 : 0.02) {
      line.append("304 -")
    } else {
      line.append("200 ")
      line.append(decimal: Int64(asset ? 300 + rng.below(90_000) : 2_000 + rng.below(60_000)))
    }
    line.append(#" ""#)
    if referrer.count > 0 && !(asset && referrer.first != UInt8(ascii: "/")) {
      if asset { line.append(SiteText.siteOrigin) }
      line.append(referrer)
    } else {
      line.append(UInt8(ascii: "-"))
    }
    line.append(#"" ""#)
    line.append(agent)
    line.append(#"" "vid=a-"#)
    line.append(hex16: anonymous)
    line.append("\"\n")
  }

  private func appendClient(_ address: UInt64) {
    switch address % 10 {
    case 0..<6:
      let prefixes: [StaticString] = ["203.0.113.", "198.51.100.", "192.0.2."]
      line.append(prefixes[Int((address >> 8) % 3)])
      line.append(decimal: Int64(1 + (address >> 16) % 254))
    case 6, 7:
      line.append("2001:db8:")
      line.append(decimal: Int64((address >> 8) % 9000 + 1000))
      line.append("::")
      line.append(decimal: Int64((address >> 24) % 9000 + 1000))
    default:
      line.append("host-")
      line.append(decimal: Int64((address >> 8) % 100_000))
      line.append(".dsl.example.net")
    }
  }
}
