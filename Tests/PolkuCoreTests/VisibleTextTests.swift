import Testing

@testable import PolkuCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Text from the logs shown on a terminal: what a terminal would act on becomes a visible
/// escape, everything else stays as it is.
@Suite struct VisibleTextTests {
  /// Every character the issue names, one at a time, with its expected escape.
  static let hidden: [(Unicode.Scalar, String)] =
    (0x00...0x1F).map {
      (Unicode.Scalar(UInt8($0)), "\\u{\(String($0, radix: 16, uppercase: true))}")
    }
    + [0x7F, 0x80, 0x85, 0x9B, 0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029]
    .map { (Unicode.Scalar($0)!, "\\u{\(String($0, radix: 16, uppercase: true))}") }
    + (0x202A...0x202E).map {
      (Unicode.Scalar($0)!, "\\u{\(String($0, radix: 16, uppercase: true))}")
    }
    + (0x2066...0x2069).map {
      (Unicode.Scalar($0)!, "\\u{\(String($0, radix: 16, uppercase: true))}")
    }

  @Test func everyHiddenCharacterIsEscapedInPlace() {
    for (scalar, escape) in Self.hidden {
      let text = "a" + String(Character(scalar)) + "b"
      #expect(VisibleText.escaped(text) == "a" + escape + "b", "U+\(scalar.value)")
    }
  }

  @Test func anEscapeSequenceShowsAsText() {
    #expect(VisibleText.escaped("\u{1B}[2J\u{1B}]0;x\u{07}") == #"\u{1B}[2J\u{1B}]0;x\u{7}"#)
    #expect(VisibleText.escaped("a\r\nb") == #"a\u{D}\u{A}b"#)
  }

  @Test(arguments: ["", "/pricing", "käyttäjä 👩🏽‍💻", "a\\u{1B}b", "\u{A0}\u{200B}\u{FEFF}x", "日本語"])
  func printableTextIsUnchanged(text: String) {
    #expect(VisibleText.escaped(text) == text)
  }

  @Test func linesKeepTheirBreaksAndEscapeTheRest() {
    #expect(VisibleText.escapedLines("a\u{1B}\n  x b\r") == "a\\u{1B}\n  x b\\u{D}")
  }

  /// The JSON form decodes back to the very text, and no hidden character is left in it.
  @Test func jsonQuotedRoundTripsAndHidesNothing() throws {
    let texts =
      Self.hidden.map { "x" + String(Character($0.0)) + "y" }
      + ["\"quoted\" \\ back\\slash /", "käyttäjä 👩🏽‍💻", "\u{1B}[31m\u{202E}evil\n"]
    for text in texts {
      let quoted = VisibleText.jsonQuoted(text)
      #expect(!quoted.unicodeScalars.contains { VisibleText.isHidden($0) }, "\(quoted)")
      let decoded = try JSONDecoder().decode(String.self, from: Data(quoted.utf8))
      #expect(decoded == text)
    }
  }
}
