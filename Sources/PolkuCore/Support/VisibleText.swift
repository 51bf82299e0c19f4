/// Text from the logs made safe to print on a terminal: characters a terminal would act on
/// instead of showing are written as visible escapes.
///
/// C0 controls (NUL to US, so ESC and every escape sequence it starts, CR, LF and tab),
/// DEL, C1 controls (U+0080 to U+009F, 8-bit CSI among them), the bidirectional marks,
/// embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066
/// to U+2069) and the line and paragraph separators (U+2028, U+2029) become Swift-style
/// escapes: ESC is shown as `\u{1B}`. Everything else is kept as it is.
public enum VisibleText {
  /// `text` with every hidden character escaped (``isHidden(_:)``).
  public static func escaped(_ text: String) -> String {
    // Printable ASCII (almost every message) needs no work.
    guard text.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F }) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      if isHidden(scalar) {
        out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// `text` escaped line by line: each line as ``escaped(_:)``, the line feeds between
  /// them kept. Only for messages whose every line break is polku's own.
  public static func escapedLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { escaped(String($0)) }.joined(separator: "\n")
  }

  /// Whether a terminal would act on `scalar` rather than show it.
  public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F: true
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
    case 0x2028, 0x2029: true
    default: false
    }
  }

  /// `text` as a JSON string literal, quotes included, with the hidden characters as
  /// `\uXXXX` escapes too: the value a JSON reader gets is `text` exactly, and no byte of
  /// the line acts on a terminal that shows it.
  public static func jsonQuoted(_ text: String) -> String {
    var out = "\""
    out.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        guard isHidden(scalar) else {
          out.unicodeScalars.append(scalar)
          continue
        }
        // Every hidden scalar is below U+10000: one `\uXXXX` escape.
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      }
    }
    return out + "\""
  }
}
