import Logging
import PolkuCore

#if canImport(Glibc)
  import Glibc
#endif

/// A swift-log handler that writes one JSON object per line to stderr, for log shippers:
/// `{"ts":"…","level":"info","label":"polku","message":"…", <metadata>}`.
///
/// Strings are quoted by ``VisibleText/jsonQuoted(_:)``: every line is valid JSON whatever
/// the message quotes, a reader gets the text exactly, and the control characters and
/// direction overrides are `\uXXXX` escapes, so the line is also safe on a terminal.
struct JSONLogHandler: LogHandler {
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .info
  let label: String

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    var line = "{\"ts\":\(quote(TimestampParser.formatISO8601(Int64(time(nil)) * 1000)))"
    line += ",\"level\":\(quote(event.level.rawValue)),\"label\":\(quote(label))"
    line += ",\"message\":\(quote(event.message.description))"
    let merged = metadata.merging(event.metadata ?? [:]) { $1 }
    for key in merged.keys.sorted() {
      line += ",\(quote(key)):\(quote(merged[key]?.description ?? ""))"
    }
    Diagnostics.warn(line + "}")
  }

  private func quote(_ text: String) -> String { VisibleText.jsonQuoted(text) }

}
