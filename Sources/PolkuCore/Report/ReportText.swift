/// Numbers as the report prints them: the same text for the same value on every machine
/// (no locale, no platform formatting).
enum ReportText {
  /// `1234567` → `1 234 567` (thin spaces would not survive copy and paste into a sheet:
  /// plain spaces).
  static func count(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = value < 0 ? "-" : ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out += " " }
      out.append(digit)
    }
    return out
  }

  /// A ratio as a percentage with `digits` decimals: `0.21634` → `21.6 %`.
  static func percent(_ ratio: Double, digits: Int = 1) -> String {
    formatFixed(ratio * 100, digits: digits) + " %"
  }

  /// `part / whole` as a percentage (`–` when `whole` is 0).
  static func percent(_ part: Int, of whole: Int, digits: Int = 1) -> String {
    whole > 0 ? percent(Double(part) / Double(whole), digits: digits) : "–"
  }

  /// Seconds as `45 s`, `3.1 min`, `2.4 h` or `1.5 d`.
  static func duration(_ seconds: Double) -> String {
    if seconds < 90 { return formatFixed(seconds, digits: seconds < 10 ? 1 : 0) + " s" }
    if seconds < 5_400 { return formatFixed(seconds / 60, digits: 1) + " min" }
    if seconds < 129_600 { return formatFixed(seconds / 3_600, digits: 1) + " h" }
    return formatFixed(seconds / 86_400, digits: 1) + " d"
  }

  /// A model parameter with 4 significant digits: `0.1095`, `4.172e9`, `2.135e-10`.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "–" }
    let magnitude = value.magnitude
    if magnitude == 0 || (magnitude >= 0.001 && magnitude < 100_000) {
      return formatFixed(value, digits: 4)
    }
    var exponent = 0
    var mantissa = magnitude
    while mantissa >= 10 {
      mantissa /= 10
      exponent += 1
    }
    while mantissa < 1 {
      mantissa *= 10
      exponent -= 1
    }
    return (value < 0 ? "-" : "") + formatFixed(mantissa, digits: 3) + "e\(exponent)"
  }

  /// A coordinate or length in an SVG attribute: at most one decimal, no `-0`.
  static func px(_ value: Double) -> String {
    let text = formatFixed(value, digits: 1)
    let trimmed = text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    return trimmed == "-0" ? "0" : trimmed
  }

  /// A bucket's range: `6–10`, `51+`, `1` (with `unit` after it).
  static func range(_ min: Int64, _ max: Int64?, unit: String = "") -> String {
    guard let max else { return "\(min)+\(unit)" }
    return min == max ? "\(min)\(unit)" : "\(min)–\(max)\(unit)"
  }

  /// A duration bucket's range in the units people read: `0 s`, `1–9 s`, `1–3 min`, `1 h+`.
  static func durationRange(_ min: Int64, _ max: Int64?) -> String {
    func unit(_ seconds: Int64) -> String {
      if seconds >= 3_600 && seconds % 3_600 == 0 { return "\(seconds / 3_600) h" }
      if seconds >= 60 && seconds % 60 == 0 { return "\(seconds / 60) min" }
      return "\(seconds) s"
    }
    guard let max else { return unit(min) + "+" }
    if min == max { return unit(min) }
    let upper = max + 1
    if upper >= 60 && upper % 60 == 0 { return "\(unit(min)) – \(unit(upper))" }
    return "\(min)–\(max) s"
  }
}
