import ArgumentParser
import PolkuCore
import PolkuGenerate

/// `polku generate`: writes a deterministic synthetic data set with known answers.
struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Generate synthetic clickstream and touchpoint logs with known answers.",
    discussion: """
      Simulates visitors over DAYS days from 2026-11-01T00:00:00Z: devices with anonymous \
      ids, sign-ups and log-ins (user ids), journeys over a site map with goals (Signed Up, \
      Order Completed, Logged In, Subscription Cancelled), contacts on non-web channels, and \
      noise with known counts (bots, static assets, duplicates, malformed lines, junk user \
      ids, a shared device). The same seed and size give byte-identical files.

      Writes OUT/segment/events-<day>-<shard>.jsonl, OUT/access/access-<day>-<shard>.log, \
      OUT/touchpoints/touchpoints-<day>-<shard>.csv, OUT/expected.json (line counts, \
      sessions per keying mode, goal conversions, the rules they follow) and \
      OUT/sessions_truth.csv (one row per stitched session). With --gzip the data files are \
      written gzipped (<name>.gz).

      Examples:
        polku generate --out /tmp/sample --visitors 300 --days 3 --seed 42
        polku generate --out /tmp/big --events-target 20000000 --days 30
        polku generate --out /tmp/web --formats jsonl,access --no-sessions-truth
      """
  )

  @Option(name: .long, help: "Output directory (created if missing).")
  var out: String

  @Option(name: .long, help: "People to simulate (bots come on top).")
  var visitors: Int = 300

  @Option(name: .long, help: "Days in the world, from 2026-11-01.")
  var days: Int = 3

  @Option(name: .long, help: "Seed for every random choice.")
  var seed: UInt64 = 1

  @Option(name: .long, help: "Formats to write: any of jsonl, access, csv, comma-separated.")
  var formats: String = "jsonl,access,csv"

  @Option(name: .long, help: "Files per day and format.")
  var filesPerDay: Int = 2

  @Option(
    name: .long, help: "Add people until this many real events are planned (overrides --visitors).")
  var eventsTarget: Int?

  @Flag(inversion: .prefixedNo, help: "Write sessions_truth.csv (keeps every session in memory).")
  var sessionsTruth = true

  func validate() throws {
    guard GeneratedFormats(list: formats) != nil else {
      throw ValidationError("--formats: expected a list of jsonl, access, csv; got '\(formats)'")
    }
    var spec = makeSpec()
    spec.formats = .all
    if let issue = spec.validate().first { throw ValidationError(issue) }
  }

  private func makeSpec() -> GeneratorSpec {
    var spec = GeneratorSpec()
    spec.seed = seed
    spec.visitors = visitors
    spec.days = days
    spec.formats = GeneratedFormats(list: formats) ?? .all
    spec.filesPerDay = filesPerDay
    spec.eventsTarget = eventsTarget
    spec.writeSessionsTruth = sessionsTruth
    return spec
  }

  @Flag(name: .long, help: "Write gzip files (<name>.gz) instead of plain text.")
  var gzip = false

  func run() throws {
    let result: GenerationResult
    do {
      result = try Generator.generate(makeSpec(), into: out, gzip: gzip)
    } catch let error as PolkuError {
      print(error.description)
      throw ExitCode(error.code.exitStatus)
    }
    let total = result.answers.total
    print(
      "wrote \(result.answers.files.count) files, \(total.lines) lines (\(total.accepted) accepted events) for \(result.answers.people) people to \(out)"
    )
  }
}
