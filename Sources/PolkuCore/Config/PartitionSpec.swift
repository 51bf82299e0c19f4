/// How `--date` partitions are cut.
public struct PartitionSpec: Codable, Sendable, Equatable {
  /// The time zone that defines a day: `UTC`, a fixed offset (`+02:00`), or an IANA name
  /// (`Europe/Helsinki`, read from the system's zoneinfo, so daylight saving is right).
  public var timeZone = "UTC"

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case timeZone = "time_zone"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? timeZone
  }

  func validate(path: String) -> [String] {
    do {
      _ = try DayWindow(date: "2000-01-01", timeZone: timeZone)
      return []
    } catch let error as PolkuError {
      return ["\(path).time_zone: \(error.message)"]
    } catch {
      return ["\(path).time_zone: \(error)"]
    }
  }
}
