/// Why a well-formed event was dropped on purpose: the keys of `events.filtered` in
/// `summary.json` and the `filter` label in metrics. Codes are part of the output
/// contract: add, never rename.
public enum FilterReason: String, CaseIterable, Sendable {
  /// A user agent matched `filters.bot_user_agents`.
  case bot
  /// The page matched `filters.exclude_pages` (static assets, health checks).
  case asset
  /// The event name matched `filters.exclude_events`, or an exclusion rule dropped it.
  case event
  /// An access-log status at or above `filters.exclude_status_from`.
  case status
  /// `--date`: the event is outside the day.
  case outsideDate = "outside_date"
  /// An identify call without a user id: it can stitch nothing.
  case identifyWithoutUser = "identify_without_user"
}
