import Testing

@testable import PolkuCore

/// Escaping per context with hostile values: what the report and the terminal summary
/// write for a value from the logs.
@Suite struct HTMLEscapeTests {
  static let hostile = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "javascript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "a&b</title></svg><script>x</script>",
  ]

  @Test(arguments: hostile)
  func elementTextAndAttributesHoldNoMarkup(value: String) {
    for escaped in [
      HTMLEscape.text(value), HTMLEscape.attribute(value), HTMLEscape.svgText(value),
    ] {
      #expect(!escaped.contains("<"))
      #expect(!escaped.contains(">"))
      #expect(!escaped.contains("\""))
      #expect(!escaped.contains("'"))
      // Every `&` starts a character reference the escaper wrote.
      var rest = Substring(escaped)
      while let amp = rest.firstIndex(of: "&") {
        let after = rest[amp...]
        #expect(
          ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains { after.hasPrefix($0) })
        rest = rest[rest.index(after: amp)...]
      }
      #expect(Self.unescapeHTML(escaped) == value)
    }
  }

  @Test func textEscapesTheFiveCharacters() {
    #expect(
      HTMLEscape.text("<a href=\"x\">Tom & 'Jerry'</a>")
        == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
  }

  @Test func controlsAndBidiOverridesAreVisible() {
    let value = "evil\u{1B}[31mred\u{07}\u{202E}txt.exe\u{0}"
    let escaped = HTMLEscape.text(value)
    #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    #expect(!escaped.contains("\u{202E}"))
    #expect(escaped.contains("\u{241B}[31mred"))  // ␛ then the rest, as text
    #expect(escaped.contains("[U+202E]"))
  }

  @Test(arguments: hostile + ["</script><script>alert(1)</script>", "<!--", "a\u{2028}b\u{2029}c"])
  func jsonInScriptCannotCloseTheElement(value: String) throws {
    let json = HTMLEscape.jsonString(value)
    #expect(!json.lowercased().contains("</script"))
    #expect(!json.contains("<"))
    #expect(!json.contains(">"))
    #expect(!json.contains("\u{2028}"))
    #expect(!json.contains("\u{2029}"))
    #expect(json.hasPrefix("\"") && json.hasSuffix("\""))
    // Still the same string for a JSON reader.
    #expect(Self.unescapeJSON(json) == value)
  }

  @Test func jsonEscapesLineSeparators() {
    #expect(HTMLEscape.jsonString("a\u{2028}b\u{2029}") == "\"a\\u2028b\\u2029\"")
    #expect(HTMLEscape.jsonString("</script>") == "\"\\u003c/script\\u003e\"")
  }

  /// The text an HTML parser reads from an escaped value (the five references only).
  static func unescapeHTML(_ text: String) -> String {
    text.replacing("&lt;", with: "<").replacing("&gt;", with: ">")
      .replacing("&quot;", with: "\"").replacing("&#39;", with: "'")
      .replacing("&amp;", with: "&")
  }

  /// A JSON string literal's value (the escapes ``HTMLEscape/jsonString(_:)`` writes).
  static func unescapeJSON(_ literal: String) -> String {
    var scalars = Array(literal.unicodeScalars.dropFirst().dropLast())
    var out = String.UnicodeScalarView()
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == "\\" && index + 1 < scalars.count {
        let next = scalars[index + 1]
        switch next {
        case "u":
          let hex = String(String.UnicodeScalarView(scalars[(index + 2)..<(index + 6)]))
          out.append(Unicode.Scalar(UInt32(hex, radix: 16) ?? 0) ?? "?")
          index += 6
          continue
        case "n": out.append("\n")
        case "r": out.append("\r")
        case "t": out.append("\t")
        default: out.append(next)
        }
        index += 2
      } else {
        out.append(scalar)
        index += 1
      }
    }
    scalars.removeAll()
    return String(out)
  }
}
