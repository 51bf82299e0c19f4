import PolkuCore
import Testing

@testable import PolkuGenerate

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Collects every generated file in memory.
private final class MemoryFiles {
  final class Sink: ByteSink {
    var bytes: [UInt8] = []
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws { self.bytes.append(contentsOf: bytes) }
    func close() throws {}
  }

  var files: [String: Sink] = [:]
  var order: [String] = []

  var factory: SinkFactory {
    { path in
      let sink = Sink()
      self.files[path] = sink
      self.order.append(path)
      return sink
    }
  }

  func text(_ path: String) -> String { String(decoding: files[path]?.bytes ?? [], as: UTF8.self) }
  func paths(_ folder: String) -> [String] { order.filter { $0.hasPrefix(folder + "/") } }
}

private func generate(_ spec: GeneratorSpec) throws -> (MemoryFiles, GenerationResult) {
  let memory = MemoryFiles()
  let result = try Generator.run(spec, sinks: memory.factory)
  return (memory, result)
}

/// The spec `scripts/make-sample-data.sh` uses for `SampleData/`.
private var sampleSpec: GeneratorSpec {
  var spec = GeneratorSpec()
  spec.seed = 42
  spec.visitors = 400
  spec.days = 3
  spec.filesPerDay = 2
  return spec
}

@Suite struct GeneratorTests {
  @Test func sameSeedGivesIdenticalBytes() throws {
    var spec = GeneratorSpec()
    spec.seed = 7
    spec.visitors = 120
    let (first, firstResult) = try generate(spec)
    let (second, secondResult) = try generate(spec)
    #expect(first.order == second.order)
    for path in first.order {
      #expect(first.files[path]?.bytes == second.files[path]?.bytes, "\(path)")
    }
    #expect(firstResult.answers.json == secondResult.answers.json)
    #expect(firstResult.sessions == secondResult.sessions)
  }

  @Test func differentSeedsDiffer() throws {
    var spec = GeneratorSpec()
    spec.visitors = 50
    spec.seed = 1
    let (first, _) = try generate(spec)
    spec.seed = 2
    let (second, _) = try generate(spec)
    for path in first.order {
      #expect(first.files[path]?.bytes != second.files[path]?.bytes, "\(path)")
    }
  }

  @Test func eventsTargetStopsAtTheTarget() throws {
    var spec = GeneratorSpec()
    spec.eventsTarget = 3_000
    spec.writeSessionsTruth = false
    let (_, result) = try generate(spec)
    let planned = result.answers.total.accepted
    #expect(planned >= 3_000 && planned < 3_600)
  }

  @Test func countsMatchAnIndependentRecountOfTheText() throws {
    let (memory, result) = try generate(sampleSpec)
    let answers = result.answers
    for (path, counts) in answers.files {
      let text = memory.text(path)
      #expect(text.utf8.filter { $0 == 10 }.count == counts.lines, "\(path)")
      #expect(text.utf8.last == 10)
    }
    var seen = Set<String>()
    var recount = LineCounts()
    for path in memory.paths("segment") {
      for line in memory.text(path).split(separator: "\n") {
        recount.add(Recount.jsonl(line, seen: &seen))
      }
    }
    expectSame(recount, answers.formats.first { $0.name == "jsonl" }?.counts, "jsonl")
    recount = LineCounts()
    for path in memory.paths("access") {
      for line in memory.text(path).split(separator: "\n") { recount.add(Recount.access(line)) }
    }
    expectSame(recount, answers.formats.first { $0.name == "access" }?.counts, "access")
    recount = LineCounts()
    seen = []
    for path in memory.paths("touchpoints") {
      for record in Recount.csvRecords(memory.text(path)).dropFirst() {
        recount.add(Recount.csv(record, seen: &seen))
      }
    }
    expectSame(recount, answers.formats.first { $0.name == "csv" }?.counts, "csv")
    // Every kind of noise and every edge case is present in the sample.
    let total = answers.total
    for reason in [
      BadRowReason.invalidJSON, .missingTimestamp, .invalidTimestamp, .invalidCSV,
      .invalidAccessLog,
    ] {
      #expect((total.malformed[reason] ?? 0) > 0, "\(reason)")
    }
    #expect(
      total.duplicates > 0 && total.botEvents > 0 && total.assetEvents > 0 && total.junkUserIds > 0)
    for edge in answers.edgeCases { #expect(edge.count > 0, "\(edge.name)") }
  }

  private func expectSame(_ recount: LineCounts, _ expected: LineCounts?, _ name: String) {
    guard let expected else { return #expect(Bool(false), "no counts for \(name)") }
    #expect(recount.records == expected.records, "\(name) records")
    #expect(recount.malformed == expected.malformed.filter { $0.value > 0 }, "\(name) malformed")
    #expect(recount.duplicates == expected.duplicates, "\(name) duplicates")
    #expect(recount.botEvents == expected.botEvents, "\(name) bots")
    #expect(recount.assetEvents == expected.assetEvents, "\(name) assets")
    #expect(recount.accepted == expected.accepted, "\(name) accepted")
    #expect(recount.junkUserIds == expected.junkUserIds, "\(name) junk user ids")
  }

  @Test(arguments: [UInt64(42), 5, 99])
  func sessionCountsMatchAReferenceSessioniser(seed: UInt64) throws {
    var spec = sampleSpec
    spec.seed = seed
    spec.days = seed == 5 ? 9 : 3
    spec.keepTruthEvents = true
    let (_, result) = try generate(spec)
    let events = result.truthEvents
    let jsonl = events.filter { $0.format == "jsonl" }
    let csv = events.filter { $0.format == "csv" }
    let access = events.filter { $0.format == "access" }
    let mapping = Reference.stitching(jsonl)
    let mappingWithCSV = Reference.stitching(jsonl + csv)
    let modes: [(String, [(String, TruthEvent)])] = [
      ("jsonl_device", jsonl.map { (Reference.deviceKey($0), $0) }),
      ("jsonl_stitched", jsonl.map { (Reference.stitchedKey($0, mapping), $0) }),
      ("access_cookie", access.map { ($0.anonymousId ?? "", $0) }),
      ("csv_user", csv.map { ($0.userId ?? "", $0) }),
      ("jsonl_csv_stitched", (jsonl + csv).map { (Reference.stitchedKey($0, mappingWithCSV), $0) }),
    ]
    for (name, keyed) in modes {
      let (tally, rows) = Reference.sessionise(keyed)
      let expected = result.answers.mode(name)
      #expect(tally.sessions == expected?.sessions, "\(name) sessions")
      #expect(tally.events == expected?.events, "\(name) events")
      #expect(tally.keys == expected?.keys, "\(name) keys")
      #expect(tally.identifyEvents == expected?.identifyEvents, "\(name) identify events")
      #expect(tally.goalSessions == expected?.goalSessions, "\(name) goal sessions")
      if name == "jsonl_csv_stitched" { #expect(rows == result.sessions) }
    }
    // The stitched view must differ from the device view (handoffs), and junk ids must
    // not have stitched anything: no key is a junk id.
    #expect(
      result.answers.mode("jsonl_stitched")?.sessions
        != result.answers.mode("jsonl_device")?.sessions)
  }

  @Test func committedSampleDataMatchesTheGenerator() throws {
    let root = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
    let sample = "/" + root + "/SampleData"
    let (memory, result) = try generate(sampleSpec)
    for path in memory.order {
      let folder = path.split(separator: "/")[0]
      let committed = try Gunzip.file(sample + "/" + path + ".gz")
      #expect(committed == memory.files[path]?.bytes, "\(folder): \(path)")
    }
    #expect(try Gunzip.plain(sample + "/expected.json") == Array(result.answers.json.utf8))
    #expect(
      try Gunzip.plain(sample + "/sessions_truth.csv")
        == Array(Generator.sessionsCSV(result.sessions).utf8))
  }
}

// MARK: - Independent recount of the written text

private enum Recount {
  struct Probe: Decodable {
    var messageId: String?
    var timestamp: Stamp?
    var userId: String?
    var context: Context?
    struct Context: Decodable {
      var page: PageInfo?
      var userAgent: String?
    }
    struct PageInfo: Decodable { var path: String? }
  }

  enum Stamp: Decodable {
    case text(String)
    case number(Int64)
    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let number = try? container.decode(Int64.self) {
        self = .number(number)
      } else {
        self = .text(try container.decode(String.self))
      }
    }
  }

  static let junk: Set<String> = ["", "null", "undefined", "anonymous", "0"]

  static func isBot(_ agent: Substring) -> Bool {
    agent.contains("Googlebot") || agent.contains("bingbot")
  }

  static func isAsset(_ path: Substring) -> Bool {
    let bare = path.split(separator: "?", omittingEmptySubsequences: false)[0]
    return bare.hasPrefix("/static/") || bare == "/favicon.ico" || bare.hasSuffix(".css")
      || bare.hasSuffix(".png")
  }

  /// `yyyy-MM-ddTHH:mm:ss(.fff)(Z|±hh:mm)` with plausible field ranges.
  static func isISO(_ text: Substring) -> Bool {
    let bytes = Array(text.utf8)
    func number(_ from: Int, _ count: Int) -> Int? {
      guard from + count <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[from..<(from + count)] {
        guard byte >= 48 && byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
      }
      return value
    }
    guard bytes.count >= 20, number(0, 4) != nil, let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
    else { return false }
    var rest = bytes[19...]
    if rest.first == UInt8(ascii: ".") { rest = rest.dropFirst().drop { $0 >= 48 && $0 <= 57 } }
    return rest.elementsEqual("Z".utf8)
      || (rest.count == 6 && (rest.first == 43 || rest.first == 45))
  }

  static func jsonl(_ line: Substring, seen: inout Set<String>) -> LineCounts {
    var counts = LineCounts()
    counts.records = 1
    guard let probe = try? JSONDecoder().decode(Probe.self, from: Data(line.utf8)) else {
      counts.malformed[.invalidJSON] = 1
      return counts
    }
    switch probe.timestamp {
    case nil: counts.malformed[.missingTimestamp] = 1
    case .text(let text) where !isISO(text[...]): counts.malformed[.invalidTimestamp] = 1
    default:
      if let id = probe.messageId, !seen.insert(id).inserted {
        counts.duplicates = 1
      } else if isBot((probe.context?.userAgent ?? "")[...]) {
        counts.botEvents = 1
      } else if isAsset((probe.context?.page?.path ?? "")[...]) {
        counts.assetEvents = 1
      } else {
        counts.accepted = 1
        if let user = probe.userId, junk.contains(user) { counts.junkUserIds = 1 }
      }
    }
    return counts
  }

  static let months: Set<Substring> = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  static func access(_ line: Substring) -> LineCounts {
    var counts = LineCounts()
    counts.records = 1
    let quoted = line.split(separator: "\"", omittingEmptySubsequences: false)
    // host - - [time] "request" status size "referrer" "agent" "vid=…"  → 9 quote-separated parts
    guard quoted.count == 9, line.hasSuffix("\""), quoted[7].hasPrefix("vid=a-"),
      let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]")
    else {
      counts.malformed[.invalidAccessLog] = 1
      return counts
    }
    let time = line[line.index(after: open)..<close].split(separator: "/")
    guard time.count == 3, let day = Int(time[0]), (1...31).contains(day), months.contains(time[1])
    else {
      counts.malformed[.invalidTimestamp] = 1
      return counts
    }
    let request = quoted[1].split(separator: " ")
    if isBot(quoted[5]) {
      counts.botEvents = 1
    } else if request.count == 3 && isAsset(request[1]) {
      counts.assetEvents = 1
    } else {
      counts.accepted = 1
    }
    return counts
  }

  /// RFC 4180 records: fields, with quoted fields unquoted.
  static func csvRecords(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var fields: [String] = []
    var field = ""
    var quoted = false
    var iterator = text.makeIterator()
    var pending: Character?
    while let char = pending ?? iterator.next() {
      pending = nil
      if quoted {
        if char == "\"" {
          if let next = iterator.next() {
            if next == "\"" {
              field.append("\"")
            } else {
              quoted = false
              pending = next
            }
          } else {
            quoted = false
          }
        } else {
          field.append(char)
        }
      } else if char == "\"" {
        quoted = true
      } else if char == "," {
        fields.append(field)
        field = ""
      } else if char == "\n" {
        fields.append(field)
        records.append(fields)
        fields = []
        field = ""
      } else {
        field.append(char)
      }
    }
    return records
  }

  static func csv(_ record: [String], seen: inout Set<String>) -> LineCounts {
    var counts = LineCounts()
    counts.records = 1
    if record.count != 7 {
      counts.malformed[.invalidCSV] = 1
    } else if record[0].isEmpty {
      counts.malformed[.missingTimestamp] = 1
    } else if !isISO(record[0][...]) {
      counts.malformed[.invalidTimestamp] = 1
    } else if !seen.insert(record[6]).inserted {
      counts.duplicates = 1
    } else {
      counts.accepted = 1
    }
    return counts
  }
}

// MARK: - Reference stitching and sessionising

private enum Reference {
  static func user(_ event: TruthEvent) -> String? {
    guard let user = event.userId, !Recount.junk.contains(user) else { return nil }
    return user
  }

  static func deviceKey(_ event: TruthEvent) -> String { event.anonymousId ?? user(event) ?? "" }

  /// anonymous id → user of its latest event with a user id.
  static func stitching(_ events: [TruthEvent]) -> [String: String] {
    var latest: [String: (Int64, String)] = [:]
    for event in events {
      guard let anonymous = event.anonymousId, let user = user(event) else { continue }
      if let known = latest[anonymous], known.0 > event.time { continue }
      latest[anonymous] = (event.time, user)
    }
    return latest.mapValues(\.1)
  }

  static func stitchedKey(_ event: TruthEvent, _ mapping: [String: String]) -> String {
    user(event) ?? event.anonymousId.flatMap { mapping[$0] } ?? event.anonymousId ?? ""
  }

  static func sessionise(_ keyed: [(String, TruthEvent)]) -> (SessionTally, [SessionTruthRow]) {
    var tally = SessionTally()
    var rows: [SessionTruthRow] = []
    let groups = Dictionary(grouping: keyed, by: \.0)
    tally.keys = groups.count
    for (key, items) in groups {
      let events = items.map(\.1).sorted { $0.time < $1.time }
      var start = 0
      for index in 1...events.count {
        if index < events.count && events[index].time - events[index - 1].time <= 1_800_000 {
          continue
        }
        let session = events[start..<index]
        tally.sessions += 1
        tally.events += session.count
        tally.identifyEvents += session.filter(\.isIdentify).count
        for goal in Goal.allCases where session.contains(where: { $0.goal == goal.name }) {
          tally.goalSessions[Int(goal.rawValue)] += 1
        }
        rows.append(
          SessionTruthRow(
            key: key, startMs: session.first?.time ?? 0, endMs: session.last?.time ?? 0,
            events: session.count, identifyEvents: session.filter(\.isIdentify).count))
        start = index
      }
    }
    return (tally, rows.sorted())
  }
}

// MARK: - Reading SampleData

private enum Gunzip {
  static func plain(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PolkuError(.noInput, "missing \(path); run scripts/make-sample-data.sh")
    }
    return Array(data)
  }

  /// Inflates every gzip member of the file (a multi-member file is their concatenation).
  static func file(_ path: String) throws -> [UInt8] {
    let inflated = GenerateTestKit.gunzip(path)
    guard inflated.clean else {
      _ = try plain(path)  // a missing file says so
      throw PolkuError(.io, "inflate \(path): damaged gzip")
    }
    return inflated.output
  }
}
