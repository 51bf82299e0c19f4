/// Escaping for each place a value can land in `report.html`.
///
/// Every value from the logs or the pipeline file (page paths, event names, user ids, goal
/// and funnel names, input paths) goes through one of these before it is written; the
/// report puts no value in a URL, an event handler, a style or a tag name. Control
/// characters and bidirectional overrides are shown as visible marks, so a value can
/// neither hide text nor reorder what is around it.
public enum HTMLEscape {
  /// Text inside an element (HTML or inline SVG): `&`, `<`, `>` and both quotes become
  /// character references; controls and bidi overrides become visible marks.
  public static func text(_ value: some StringProtocol) -> String {
    var out = ""
    out.reserveCapacity(value.utf8.count)
    for scalar in value.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: appendVisible(scalar, to: &out)
      }
    }
    return out
  }

  /// The value of a double-quoted attribute. The same escapes as ``text(_:)``, which leave
  /// no `"` to close the attribute and no `<` to open a tag.
  public static func attribute(_ value: some StringProtocol) -> String {
    text(value)
  }

  /// Text of an SVG `<text>` or `<title>` element in inline SVG: HTML's parser reads it,
  /// so the rules are those of ``text(_:)``.
  public static func svgText(_ value: some StringProtocol) -> String {
    text(value)
  }

  /// A JSON string literal (quotes included) safe inside `<script type="application/json">`
  /// and inside a script: `<`, `>` and `&` as `\u003c`, `\u003e` and `\u0026` (so no
  /// `</script>` or `<!--` can appear), U+2028 and U+2029 as `\u2028` and `\u2029`,
  /// controls and bidi controls as `\uXXXX`.
  public static func jsonString(_ value: some StringProtocol) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "<", ">", "&":
        out += "\\u" + hex4(scalar.value).lowercased()
      default:
        if isInvisible(scalar) {
          out += "\\u" + hex4(scalar.value).lowercased()
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// Appends `scalar`, or a visible mark for a control character or a bidi control: C0
  /// controls and DEL as their Unicode control pictures (U+2400...), C1 controls, bidi
  /// embeddings, overrides, isolates and marks, and line or paragraph separators as
  /// `[U+XXXX]`.
  static func appendVisible(_ scalar: Unicode.Scalar, to out: inout String) {
    switch scalar.value {
    case 0..<0x20:
      out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
    case 0x7F:
      out += "\u{2421}"
    default:
      if isInvisible(scalar) {
        out += "[U+" + hex4(scalar.value) + "]"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }

  /// C0 and C1 controls, DEL, bidi embeddings, overrides, isolates and marks, and the line
  /// and paragraph separators: what a terminal would act on (``VisibleText/isHidden(_:)``).
  static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
    VisibleText.isHidden(scalar)
  }

  /// Four upper-case hex digits (more when the value needs them).
  static func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
