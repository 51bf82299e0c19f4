/// One colour per channel, the same in every picture of a report: channels in name order
/// get classes `c0`...`c7` (cycling), step labels without a channel (`(start)`, `(exit)`,
/// `(other)`) the grey class `cs`. Class names never come from the data.
struct ReportColors: Sendable {
  static let classes = 8
  private var slots: [String: Int] = [:]
  /// The channels in name order.
  let channels: [String]

  init(channels: some Sequence<String>) {
    self.channels = Set(channels).sorted(by: utf8Precedes)
    for (index, channel) in self.channels.enumerated() {
      slots[channel] = index % ReportColors.classes
    }
  }

  /// The fill class of a channel's name.
  func fill(channel: String) -> String {
    slots[channel].map { "c\($0)" } ?? "cs"
  }

  /// The fill class of a step label (by its channel prefix).
  func fill(_ label: String) -> String {
    Sankey.channel(of: label).map { fill(channel: $0) } ?? "cs"
  }

  /// `label` cut to `limit` characters with `…` (the full text is in the picture's title).
  static func shortened(_ label: String, to limit: Int) -> String {
    label.count <= limit ? label : String(label.prefix(limit - 1)) + "…"
  }
}
