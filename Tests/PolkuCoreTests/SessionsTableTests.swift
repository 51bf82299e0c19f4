import Testing

@testable import PolkuCore

@Suite struct SessionsTableTests {
  /// Sessions that start at the same millisecond are ordered by the visitor key's text,
  /// then anonymous before user, whatever order their ids were interned in (that order
  /// follows the order files were merged in).
  @Test(arguments: [false, true]) func tiesFollowTheVisitorTextNotTheIds(reversed: Bool) {
    var visitors: [(user: String?, anonymous: String)] = [
      (nil, "zeta"), (nil, "alpha"), ("alpha", "anon-2"), (nil, "mid"),
      (nil, "alpha-longer-than-sixteen-bytes-b"), (nil, "alpha-longer-than-sixteen-bytes-a"),
    ]
    if reversed { visitors.reverse() }
    var builder = RunBuilder()
    builder.session(user: nil, anonymous: "zz-early", day: 1, hour: 11)
    for visitor in visitors {
      builder.session(user: visitor.user, anonymous: visitor.anonymous, day: 1, hour: 12)
    }
    let run = builder.build()
    let rows = SessionsTable.rowOrder(run).map { row in
      let session = run.batches[Int(row.batch)].sessions[Int(row.index)]
      return (session.visitor.isUser ? "user " : "anon ")
        + run.tables.ids.string(session.visitor.id)
    }
    #expect(
      rows == [
        "anon zz-early", "anon alpha", "user alpha", "anon alpha-longer-than-sixteen-bytes-a",
        "anon alpha-longer-than-sixteen-bytes-b", "anon mid", "anon zeta",
      ])
  }

  /// Ranks follow the bytes, NULs and shared 16-byte prefixes included, and id 0 (the
  /// empty value) ranks first.
  @Test func ranksFollowTheBytes() {
    var table = SymbolTable()
    let values = [
      "b", "a", "a\u{0}", "customer-0000000002", "customer-0000000001", "customer-000000000",
      "é", "z",
    ]
    for value in values { _ = table.intern(value) }
    let ranks = utf8Ranks(of: table)
    #expect(ranks.count == values.count + 1)
    #expect(ranks[0] == 0)
    let byRank = (1...values.count).sorted { ranks[$0] < ranks[$1] }.map { values[$0 - 1] }
    #expect(byRank == values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
  }
}
