#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `state.json`: the small, human-readable header of one state generation.
struct StateHeader: Codable {
  struct Folded: Codable {
    var path: String
    var size: Int64
    var hash: String
    var foldedAt: String
    enum CodingKeys: String, CodingKey {
      case path, size, hash
      case foldedAt = "folded_at"
    }
  }
  var schemaVersion: Int
  var generation: Int
  var windowDays: Int
  var lastRun: String?
  var customers: Int
  var goals: [String]
  var signals: [String]
  var sessionTailsBytes: Int
  /// Absent when the state keeps no identities.
  var identitiesBytes: Int?
  var foldedInputs: [Folded]

  enum CodingKeys: String, CodingKey {
    case schemaVersion = "schema_version"
    case generation
    case windowDays = "window_days"
    case lastRun = "last_run"
    case customers, goals, signals
    case sessionTailsBytes = "session_tails_bytes"
    case identitiesBytes = "identities_bytes"
    case foldedInputs = "folded_inputs"
  }
}

/// Steps of ``CustomerState/save(to:)``, for tests that simulate a crash after each.
enum SaveStep: CaseIterable {
  case customersHalfWritten
  case filesWritten
  case generationRenamed
  case pointerWritten
  case pointerSwitched
}

/// A simulated crash (tests only).
struct SimulatedCrash: Error {}

extension CustomerState {
  static let pointerName = "CURRENT"
  static let customersFile = "customers.tsv"
  static let headerFile = "state.json"
  static let tailsFile = "session_tails.tsv"
  static let identitiesFile = "identities.tsv"

  /// Loads the live generation of the state in `dir`; an empty state when `dir` does not
  /// exist or holds no `CURRENT` yet. Leftover temporary folders are ignored.
  public static func load(from dir: String) throws -> CustomerState {
    var state = CustomerState()
    guard let pointer = try DurableFiles.readFile(dir + "/" + pointerName) else { return state }
    let name = String(
      String(decoding: pointer, as: UTF8.self).split(whereSeparator: \.isWhitespace).first ?? "")
    guard name.hasPrefix("gen-"), let generation = Int(name.dropFirst(4)) else {
      throw PolkuError(.io, "\(dir)/\(pointerName) does not name a generation: \"\(name)\"")
    }
    let folder = dir + "/" + name
    guard let headerBytes = try DurableFiles.readFile(folder + "/" + headerFile) else {
      throw PolkuError(.io, "\(folder)/\(headerFile) is missing; the state is damaged")
    }
    let header: StateHeader
    do {
      header = try JSONDecoder().decode(StateHeader.self, from: Data(headerBytes))
    } catch {
      throw PolkuError(.io, "\(folder)/\(headerFile) is not valid: \(error)")
    }
    guard header.schemaVersion == schemaVersion else {
      throw PolkuError(
        .io,
        "\(folder) has state schema_version \(header.schemaVersion); this polku reads "
          + "\(schemaVersion)")
    }
    state.generation = generation
    state.windowDays = header.windowDays
    state.lastRun = header.lastRun.flatMap(UTCDate.parseTimestamp)
    for name in header.goals { _ = state.goalIndex(name) }
    for name in header.signals { _ = state.signalIndex(name) }
    state.folded = header.foldedInputs.map {
      FoldedInput(
        input: InputFingerprint(path: $0.path, size: $0.size, hash: $0.hash),
        foldedAt: UTCDate.parseTimestamp($0.foldedAt) ?? 0)
    }
    let customersPath = folder + "/" + customersFile
    guard let table = try DurableFiles.readFile(customersPath) else {
      throw PolkuError(.io, "\(customersPath) is missing; the state is damaged")
    }
    try StateTSV.decode(table, into: &state, file: customersPath)
    guard state.customers.count == header.customers else {
      throw PolkuError(
        .io,
        "\(customersPath) has \(state.customers.count) customers, state.json says "
          + "\(header.customers); the state is damaged")
    }
    if header.sessionTailsBytes > 0 {
      let tails = try DurableFiles.readFile(folder + "/" + tailsFile) ?? []
      guard tails.count == header.sessionTailsBytes else {
        throw PolkuError(.io, "\(folder)/\(tailsFile) has the wrong size; the state is damaged")
      }
      state.sessionTails = tails
    }
    if let bytes = header.identitiesBytes, bytes > 0 {
      let identities = try DurableFiles.readFile(folder + "/" + identitiesFile) ?? []
      guard identities.count == bytes else {
        throw PolkuError(
          .io, "\(folder)/\(identitiesFile) has the wrong size; the state is damaged")
      }
      state.identities = identities
    }
    return state
  }

  /// Writes the state as a new generation in `dir` and makes it the live one atomically.
  ///
  /// The new generation is written to `tmp-…` inside `dir` (files fsynced, then the folder),
  /// renamed to `gen-N`, and `CURRENT` is switched to it by writing `CURRENT.tmp` and
  /// renaming it over `CURRENT` (then `dir` is fsynced). Only then are older generations and
  /// leftovers of interrupted saves removed. A crash at any point leaves either the previous
  /// or the new generation live, never a mix.
  public func save(to dir: String) throws {
    try save(to: dir, stoppingAfter: nil)
  }

  func save(to dir: String, stoppingAfter stop: SaveStep?) throws {
    try DurableFiles.makeDirectories(dir)
    var next = generation + 1
    for name in try DurableFiles.list(dir) where name.hasPrefix("gen-") {
      if let number = Int(name.dropFirst(4)) { next = max(next, number + 1) }
    }
    let genName = "gen-" + String(next)
    let temp = dir + "/tmp-\(next)-\(getpid())"
    try DurableFiles.removeFlatDirectory(temp)
    try DurableFiles.makeNewDirectory(temp)

    let table = StateTSV.encode(self)
    if stop == .customersHalfWritten {
      try DurableFiles.writeFile(table, to: temp + "/" + Self.customersFile, limit: table.count / 2)
      throw SimulatedCrash()
    }
    try DurableFiles.writeFile(table, to: temp + "/" + Self.customersFile)
    if !sessionTails.isEmpty {
      try DurableFiles.writeFile(sessionTails, to: temp + "/" + Self.tailsFile)
    }
    if !identities.isEmpty {
      try DurableFiles.writeFile(identities, to: temp + "/" + Self.identitiesFile)
    }
    try DurableFiles.writeFile(headerJSON(generation: next), to: temp + "/" + Self.headerFile)
    try DurableFiles.syncDirectory(temp)
    if stop == .filesWritten { throw SimulatedCrash() }

    try DurableFiles.renameItem(temp, dir + "/" + genName)
    try DurableFiles.syncDirectory(dir)
    if stop == .generationRenamed { throw SimulatedCrash() }

    let pointerTemp = dir + "/" + Self.pointerName + ".tmp"
    try DurableFiles.writeFile(Array((genName + "\n").utf8), to: pointerTemp)
    if stop == .pointerWritten { throw SimulatedCrash() }
    try DurableFiles.renameItem(pointerTemp, dir + "/" + Self.pointerName)
    try DurableFiles.syncDirectory(dir)
    if stop == .pointerSwitched { throw SimulatedCrash() }

    for name in try DurableFiles.list(dir)
    where (name.hasPrefix("gen-") || name.hasPrefix("tmp-")) && name != genName {
      try DurableFiles.removeFlatDirectory(dir + "/" + name)
    }
    try DurableFiles.syncDirectory(dir)
  }

  func headerJSON(generation: Int) throws -> [UInt8] {
    let header = StateHeader(
      schemaVersion: Self.schemaVersion, generation: generation, windowDays: windowDays,
      lastRun: lastRun.map { TimestampParser.formatISO8601($0) },
      customers: customers.count, goals: goalNames, signals: signalNames,
      sessionTailsBytes: sessionTails.count,
      identitiesBytes: identities.isEmpty ? nil : identities.count,
      foldedInputs: folded.map {
        StateHeader.Folded(
          path: $0.input.path, size: $0.input.size, hash: $0.input.hash,
          foldedAt: TimestampParser.formatISO8601($0.foldedAt))
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return Array(try encoder.encode(header)) + [10]
    } catch {
      throw PolkuError(.io, "cannot encode state.json: \(error)")
    }
  }
}
