import Logging
import PolkuCore

/// A log handler that shows control characters, escape sequences and direction overrides
/// in a message and its metadata as escapes (``VisibleText``), then hands the event on.
///
/// Log lines quote input (file names, damage reasons), which must reach the terminal as
/// text: a file name holding ESC sequences or a line feed cannot clear the screen or forge
/// a line of its own.
struct VisibleLogHandler<Inner: LogHandler>: LogHandler {
  var inner: Inner

  var metadata: Logger.Metadata {
    get { inner.metadata }
    set { inner.metadata = newValue }
  }

  var logLevel: Logger.Level {
    get { inner.logLevel }
    set { inner.logLevel = newValue }
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { inner[metadataKey: key] }
    set { inner[metadataKey: key] = newValue }
  }

  func log(event: LogEvent) {
    var event = event
    event.message = "\(VisibleText.escaped(event.message.description))"
    event.metadata = event.metadata.map { metadata in
      Dictionary(
        uniqueKeysWithValues: metadata.map {
          (VisibleText.escaped($0.key), .string(VisibleText.escaped($0.value.description)))
        })
    }
    inner.log(event: event)
  }
}
