import Testing

@testable import PolkuCore

/// An ``Event`` keeps its time, channel, kind and carried flag in one word.
@Suite struct EventTests {
  @Test func anEventTakes32Bytes() {
    #expect(MemoryLayout<Event>.size == 32)
    #expect(MemoryLayout<Event>.stride == 32)
  }

  @Test func everyPackedFieldReadsBackAsWritten() {
    let times: [Int64] = [
      0, 1, -1, 1_700_000_000_123, TimestampParser.endMillis - 1, Event.timeRange.lowerBound,
      Event.timeRange.upperBound,
    ]
    for time in times {
      for channel: UInt8 in [0, 1, 63, 255] {
        for kind in EventKind.allCases {
          for carried in [false, true] {
            let event = Event(
              time: time, messageHash: .max, anonymousId: .max, userId: 7, name: 9, source: 3,
              channel: channel, kind: kind, isCarried: carried)
            #expect(event.time == time)
            #expect(event.channel == channel)
            #expect(event.kind == kind)
            #expect(event.isCarried == carried)
            #expect(event.messageHash == .max && event.anonymousId == .max)
          }
        }
      }
    }
  }

  @Test func settingOneFieldLeavesTheOthers() {
    var event = Event(
      time: -5, anonymousId: 1, userId: 2, name: 3, channel: 200, kind: .contact, isCarried: true)
    event.time = Event.timeRange.upperBound
    #expect(event.channel == 200 && event.kind == .contact && event.isCarried)
    event.channel = 1
    #expect(event.time == Event.timeRange.upperBound && event.kind == .contact)
    event.kind = .identify
    #expect(event.channel == 1 && event.isCarried && event.time == Event.timeRange.upperBound)
    event.isCarried = false
    #expect(event.kind == .identify && event.channel == 1)
    event.time = Event.timeRange.lowerBound
    #expect(event.time == Event.timeRange.lowerBound && !event.isCarried && event.channel == 1)
  }

  @Test func aSessionTailWithATimeAnEventCannotHoldIsMalformed() throws {
    func tail(_ time: Int64) -> [UInt8] { Array("\(time)\t0\ta1\t\t/\tweb\t\t2a\n".utf8) }
    var tables = EventTables()
    let kept = try SessionTails.inject(tail(1_700_000_000_000), into: &tables)
    #expect(kept.map(\.time) == [1_700_000_000_000])
    #expect(kept.map(\.isCarried) == [true])
    #expect(throws: PolkuError.self) {
      try SessionTails.inject(tail(Event.timeRange.upperBound + 1), into: &tables)
    }
  }
}
