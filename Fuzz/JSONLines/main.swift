// libFuzzer harness: JSONLinesParser with a Segment-like mapping (nested paths, several
// fields on one path, an empty key component), checked against JSONDecoder for validity.
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Any JSON value. JSONDecoder checks structure and numbers before decoding, but string
/// escapes (`\u00g0`) only when a string is decoded: so strings are decoded, numbers not
/// (1e400 is JSON, but not a `Double`).
private struct AnyJSON: Decodable {
  init(from decoder: any Decoder) throws {
    if var array = try? decoder.unkeyedContainer() {
      while !array.isAtEnd { _ = try array.decode(AnyJSON.self) }
      return
    }
    if let object = try? decoder.container(keyedBy: AnyKey.self) {
      for key in object.allKeys { _ = try object.decode(AnyJSON.self, forKey: key) }
      return
    }
    let value = try decoder.singleValueContainer()
    if value.decodeNil() || (try? value.decode(Bool.self)) != nil
      || (try? value.decode(Double.self)) != nil
    {
      return
    }
    do {
      _ = try value.decode(String.self)
    } catch DecodingError.typeMismatch {
      // Not a string, so a number that is not a Double: JSONDecoder checks number syntax
      // only when converting, so it cannot say whether this is JSON.
      unverifiedNumber = true
    }
  }
}

nonisolated(unsafe) private var unverifiedNumber = false

private struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

private let segment: [Field: String] = [
  .timestamp: "timestamp", .anonymousId: "anonymousId", .userId: "userId", .type: "type",
  .event: "event", .page: "context.page.path", .referrer: "context.page.referrer",
  .source: "context.campaign.source", .messageId: "messageId", .channel: "channel",
  .userAgent: "context.userAgent",
]
// Two fields on one path, a path through an empty key, a deep path.
private let odd: [Field: String] = [
  .timestamp: "t", .anonymousId: "id", .userId: "id", .page: "a..b", .event: "x.y.z.w.v",
]

/// What JSONDecoder is not a reference for: the deepest `{`/`[` nesting outside strings,
/// whether a `,` is followed by `}` or `]` (JSONDecoder accepts `{"a":1,}`) or a string
/// has a raw control byte (JSONDecoder accepts those in keys), and whether
/// a `\uD800`–`\uDFFF` escape occurs (JSONDecoder rejects lone surrogates; polku turns
/// them into U+FFFD by design).
private func quirks(_ bytes: UnsafeBufferPointer<UInt8>) -> (
  depth: Int, lax: Bool, surrogate: Bool
) {
  var depth = 0
  var deepest = 0
  var inString = false
  var escaped = false
  var afterComma = false
  var lax = false
  var surrogate = false
  for (index, byte) in bytes.enumerated() {
    if inString {
      if escaped {
        escaped = false
        if byte == UInt8(ascii: "u") && index + 2 < bytes.count
          && bytes[index + 1] | 0x20 == UInt8(ascii: "d")
          && (bytes[index + 2] | 0x20 >= UInt8(ascii: "8") && bytes[index + 2] <= UInt8(ascii: "9")
            || (bytes[index + 2] | 0x20 >= UInt8(ascii: "a")
              && bytes[index + 2] | 0x20 <= UInt8(ascii: "f")))
        {
          surrogate = true
        }
      } else if byte == 0x5C {
        escaped = true
      } else if byte == 0x22 {
        inString = false
      } else if byte < 0x20 {
        lax = true  // lax in JSONDecoder as well
      }
      continue
    }
    switch byte {
    case 0x22: inString = true
    case 0x7B, 0x5B:
      depth += 1
      deepest = max(deepest, depth)
    case 0x7D, 0x5D:
      depth -= 1
      if afterComma { lax = true }
    default: break
    }
    if byte == 0x2C {
      afterComma = true
    } else if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
      afterComma = false
    }
  }
  return (deepest, lax, surrogate)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let line = UnsafeBufferPointer(start: data, count: size)
  var fields = RecordFields()
  var outcomes: [ParseOutcome] = []
  for paths in [segment, odd] {
    var parser = JSONLinesParser(paths: paths)
    fields.reset()
    let outcome = parser.parse(line, into: &fields)
    check(outcome != .needsMore, "JSON lines never continue")
    if outcome == .record {
      for field in Field.allCases { _ = fields.withValue(field) { $0.count } }
    }
    outcomes.append(outcome)
  }
  // Validity does not depend on the mapping.
  check(outcomes[0] == outcomes[1], "mapping changed validity: \(outcomes)")

  // Differential check against JSONDecoder on valid UTF-8 of modest nesting.
  let outcome = outcomes[0]
  let odd = quirks(line)
  guard UTF8Check.isValid(line), !line.contains(0), odd.depth < 60, !odd.surrogate else {
    return 0
  }
  let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
  unverifiedNumber = false
  let decoded = try? JSONDecoder().decode([String: AnyJSON].self, from: Data(line))
  switch outcome {
  case .record:
    check(decoded != nil, "parser accepted what JSONDecoder rejects")
  case .bad(.invalidJSON):
    check(
      decoded == nil || odd.lax || unverifiedNumber, "parser rejected what JSONDecoder accepts")
  case .skip:
    check(trimmed.isEmpty, "skipped a non-blank line")
  default:
    break
  }
  return 0
}
