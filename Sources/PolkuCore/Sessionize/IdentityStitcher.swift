/// Maps anonymous ids to the users they turn out to be (`identity: stitched`).
///
/// Every anonymous id seen on an event together with a user id maps to that user,
/// retroactively: its earlier anonymous events join the user's journey. An anonymous id
/// seen with several users (a shared device) maps to the user of its most recent such
/// event (latest time, then input order), the convention of dbt's Segment package; such
/// ids are counted. Junk ids (`null`, `undefined`, …) were dropped at ingest and never
/// stitch.
public struct IdentityStitcher: Sendable {
  /// User id per anonymous id (index = id in ``EventTables/ids``), 0 = not stitched.
  public private(set) var userOf: [UInt32]
  /// Anonymous ids that map to a user.
  public private(set) var stitchedAnonymousIds = 0
  /// Anonymous ids seen with more than one user.
  public private(set) var anonymousIdsWithSeveralUsers = 0

  public init(events chunks: [EventChunk], idCount: Int, threads: Int = 1) {
    self.init(events: chunks.map(\.events), idCount: idCount, threads: threads)
  }

  /// Stitches over `events` on `threads` workers: each takes the anonymous ids of one
  /// residue class (id mod workers) and reads every event, so workers write disjoint
  /// entries and the result does not depend on the thread count.
  public init(events: [[Event]], idCount: Int, threads: Int = 1) {
    var userOf = [UInt32](repeating: 0, count: idCount)
    var several = [Bool](repeating: false, count: idCount)
    var latest = [Int64](repeating: Int64.min, count: idCount)
    var order = [UInt64](repeating: 0, count: idCount)
    let workers = max(1, min(threads, 64))
    userOf.withUnsafeMutableBufferPointer { userOf in
      several.withUnsafeMutableBufferPointer { several in
        latest.withUnsafeMutableBufferPointer { latest in
          order.withUnsafeMutableBufferPointer { order in
            let columns = StitchColumns(
              userOf: userOf, several: several, latest: latest, order: order)
            _ = try? parallelMap(count: workers, threads: workers) { worker in
              IdentityStitcher.stitch(events, into: columns, worker: worker, of: workers)
            }
          }
        }
      }
    }
    self.userOf = userOf
    stitchedAnonymousIds = userOf.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
    anonymousIdsWithSeveralUsers = several.reduce(0) { $0 + ($1 ? 1 : 0) }
  }

  /// The per-anonymous-id columns the workers fill (each writes only its own ids).
  private struct StitchColumns: @unchecked Sendable {
    let userOf: UnsafeMutableBufferPointer<UInt32>
    let several: UnsafeMutableBufferPointer<Bool>
    let latest: UnsafeMutableBufferPointer<Int64>
    let order: UnsafeMutableBufferPointer<UInt64>
  }

  private static func stitch(
    _ events: [[Event]], into columns: StitchColumns, worker: Int, of workers: Int
  ) {
    // An event's input position: its chunk (file) and its place in it (chunks keep line
    // order), the tie-break between a visitor's events of one millisecond.
    for (chunk, file) in events.enumerated() {
      for (index, event) in file.enumerated()
      where event.anonymousId != 0 && event.userId != 0 {
        let anon = Int(event.anonymousId)
        guard anon % workers == worker else { continue }
        let position = UInt64(chunk) << 32 | UInt64(index)
        let current = columns.userOf[anon]
        if current != 0 && current != event.userId { columns.several[anon] = true }
        if current == 0 || event.time > columns.latest[anon]
          || (event.time == columns.latest[anon] && position > columns.order[anon])
        {
          columns.userOf[anon] = event.userId
          columns.latest[anon] = event.time
          columns.order[anon] = position
        }
      }
    }
  }

  /// The key of `event`: its user, else its anonymous id's user, else its anonymous id.
  @inline(__always)
  public func key(_ event: Event) -> VisitorKey {
    if event.userId != 0 { return VisitorKey(id: event.userId, isUser: true) }
    let user = userOf[Int(event.anonymousId)]
    if user != 0 { return VisitorKey(id: user, isUser: true) }
    return VisitorKey(id: event.anonymousId, isUser: false)
  }

  /// The key of `event` in `device` mode: its anonymous id, else its user id.
  @inline(__always)
  public static func deviceKey(_ event: Event) -> VisitorKey {
    event.anonymousId != 0
      ? VisitorKey(id: event.anonymousId, isUser: false)
      : VisitorKey(id: event.userId, isUser: true)
  }
}
