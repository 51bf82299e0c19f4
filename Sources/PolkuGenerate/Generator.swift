import PolkuCore

/// What one generator run produced: the expected answers and, when asked, the truth.
public struct GenerationResult: Sendable {
  public var answers: ExpectedAnswers
  /// Stitched JSONL + CSV sessions, sorted by key and start (empty unless
  /// ``GeneratorSpec/writeSessionsTruth``).
  public var sessions: [SessionTruthRow]
  /// Every accepted event (empty unless ``GeneratorSpec/keepTruthEvents``).
  public var truthEvents: [TruthEvent]
}

/// Generates a deterministic data set with known answers.
///
/// People are planned one at a time by ``JourneyPlanner``, written by the format writers
/// (each with its own seeded generator for noise), and tallied by ``AnswerBook``; a bot
/// visit follows a person now and then. Nothing depends on wall-clock time, the
/// environment or hash-table order, so equal specs give byte-identical files.
public enum Generator {
  /// Writes the data files through `sinks` and returns the answers (which the caller
  /// may write with ``ExpectedAnswers/json`` and ``sessionsCSV(_:)``).
  ///
  /// Throws ``PolkuError`` (`.usage` for an invalid spec, `.io` from sinks).
  public static func run(_ spec: GeneratorSpec, sinks: SinkFactory) throws -> GenerationResult {
    let issues = spec.validate()
    if !issues.isEmpty { throw PolkuError(.usage, issues.joined(separator: "; ")) }
    let segment =
      try spec.formats.contains(.jsonl)
      ? SegmentWriter(
        files: OutputFiles(
          folder: "segment", stem: "events", ext: "jsonl", header: nil,
          spec: spec, salt: 0x51, sinks: sinks), seed: spec.seed) : nil
    let access =
      try spec.formats.contains(.access)
      ? AccessLogWriter(
        files: OutputFiles(
          folder: "access", stem: "access", ext: "log", header: nil,
          spec: spec, salt: 0x52, sinks: sinks), seed: spec.seed) : nil
    let touchpoints =
      try spec.formats.contains(.csv)
      ? TouchpointWriter(
        files: OutputFiles(
          folder: "touchpoints", stem: "touchpoints", ext: "csv",
          header: TouchpointWriter.header, spec: spec, salt: 0x53, sinks: sinks),
        seed: spec.seed) : nil
    var planner = JourneyPlanner(spec: spec)
    var book = AnswerBook(spec: spec)
    var rng = SplitMix64(seed: SplitMix64.mix(spec.seed ^ 0xB07))
    let page = PageText()
    var botVisitors = (jsonl: 0, access: 0)
    var index = 0
    while spec.eventsTarget.map({ book.plannedRecords < $0 }) ?? (index < spec.visitors) {
      let person = planner.plan(person: index)
      for session in person.sessions {
        for event in session.events {
          switch event.kind {
          case .contact:
            try touchpoints?.write(event, person: person)
          case .page, .track, .identify:
            let device = person.devices[event.device]
            if event.kind == .page {
              page.render(event.page, item: event.item, entry: event.entry, rng: &rng)
              if device.isWeb { try access?.write(time: event.time, device: device, page: page) }
            }
            try segment?.write(event, person: person, page: page)
          }
        }
      }
      book.add(person)
      index += 1
      if rng.chance(0.04) {
        let visit = botVisit(spec: spec, planner: &planner, rng: &rng)
        let inSegment = segment != nil && rng.chance(0.5)
        if inSegment { botVisitors.jsonl += 1 }
        if access != nil { botVisitors.access += 1 }
        for (offset, time) in visit.times.enumerated() {
          page.render(
            JourneyPlanner.pick(JourneyPlanner.entries, rng: &rng), item: offset % 6,
            entry: offset == 0, rng: &rng)
          if inSegment {
            try segment?.writeBot(
              time: time, anonymous: visit.anonymous, agent: visit.agent, page: page)
          }
          try access?.writeBot(
            time: time, anonymous: visit.anonymous, agent: visit.agent, page: page)
        }
      }
    }
    var answers = ExpectedAnswers(spec: spec)
    for (name, files) in [
      ("jsonl", segment?.files), ("access", access?.files), ("csv", touchpoints?.files),
    ] {
      guard let files else { continue }
      try files.close()
      for file in files.files { answers.files.append((file.path, file.counts)) }
      answers.formats.append((name, files.total))
    }
    answers.modes = book.finalTallies()
    answers.edgeCases = AnswerBook.edgeNames.map { ($0, book.edges[$0] ?? 0) }
    answers.people = book.people
    answers.registeredPeople = book.registered
    if segment != nil {
      answers.distinctVisitors["jsonl"] = book.deviceKeys.count
      answers.distinctUsers["jsonl"] = book.jsonlUsers.count
      answers.botVisitors["jsonl"] = botVisitors.jsonl
    }
    if access != nil {
      answers.distinctVisitors["access"] = book.cookieKeys.count
      answers.distinctUsers["access"] = 0
      answers.botVisitors["access"] = botVisitors.access
    }
    if touchpoints != nil {
      answers.distinctVisitors["csv"] = book.csvUsers.count
      answers.distinctUsers["csv"] = book.csvUsers.count
      answers.botVisitors["csv"] = 0
    }
    return GenerationResult(
      answers: answers, sessions: book.rows.sorted(), truthEvents: book.events)
  }

  /// A crawler visit: 3–20 page views 1–20 s apart, inside the world.
  private static func botVisit(
    spec: GeneratorSpec, planner: inout JourneyPlanner,
    rng: inout SplitMix64
  ) -> (anonymous: UInt64, agent: Int, times: [Int64]) {
    let anonymous = planner.newAnonymous()
    let agent = rng.below(SiteText.botAgents.count)
    var time = spec.startMs + Int64(rng.below(Int(spec.endMs - spec.startMs - JourneyPlanner.hour)))
    var times: [Int64] = []
    for _ in 0..<(3 + rng.below(18)) {
      times.append(time)
      time += rng.within(1_000...20_000)
    }
    return (anonymous, agent, times)
  }

  /// `sessions_truth.csv`: a header and one line per row.
  public static func sessionsCSV(_ rows: [SessionTruthRow]) -> String {
    var text = SessionTruthRow.header
    for row in rows { text += row.csvLine }
    return text
  }

  /// Generates into `directory`: data files as plain files, `expected.json` and (when
  /// enabled) `sessions_truth.csv` beside them.
  @discardableResult
  public static func generate(
    _ spec: GeneratorSpec, into directory: String, gzip: Bool = false
  ) throws -> GenerationResult {
    let sinks =
      gzip
      ? GzipFileSink.factory(directory: directory) : FileSink.factory(directory: directory)
    let result = try run(spec, sinks: sinks)
    try write(result.answers.json, to: directory + "/expected.json")
    if spec.writeSessionsTruth {
      try write(sessionsCSV(result.sessions), to: directory + "/sessions_truth.csv")
    }
    return result
  }

  private static func write(_ text: String, to path: String) throws {
    try FileSink.makeParentDirectories(of: path)
    let sink = try FileSink(path: path)
    var copy = text
    try copy.withUTF8 { try sink.write($0) }
    try sink.close()
  }
}
