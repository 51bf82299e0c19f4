import Testing

@testable import PolkuCore

@Suite struct SymbolTableTests {
  @Test func internsAndLooksUp() {
    var table = SymbolTable(capacity: 2)
    let a = table.intern("alpha")
    let b = table.intern("beta")
    #expect(a == 1)
    #expect(b == 2)
    #expect(table.intern("alpha") == a)
    #expect(table.lookup("beta") == b)
    #expect(table.lookup("gamma") == nil)
    #expect(table.string(b) == "beta")
  }

  @Test func survivesGrowthWithManyValues() {
    var table = SymbolTable(capacity: 1)
    for index in 0..<10_000 { _ = table.intern("v\(index)") }
    #expect(table.count == 10_001)
    for index in stride(from: 0, to: 10_000, by: 97) {
      #expect(table.string(table.lookup("v\(index)") ?? 0) == "v\(index)")
    }
  }

  @Test func absorbMapsIdsInOrder() {
    var global = SymbolTable()
    _ = global.intern("x")
    var local = SymbolTable()
    _ = local.intern("y")
    _ = local.intern("x")
    let map = global.absorb(local)
    #expect(map == [0, 2, 1])
    #expect(global.strings == ["x", "y"])
  }

  @Test func prefetchingChangesNothingAndToleratesAnyId() {
    var table = SymbolTable()
    // An empty table, id 0 (no bytes) and ids past the end are all fine.
    table.prefetchEntry(0)
    table.prefetchBytes(0)
    table.prefetchBytes(7)
    let a = table.intern("alpha")
    _ = table.intern("")
    for id in [0, a, 2, 3, .max] as [UInt32] {
      table.prefetchEntry(id)
      table.prefetchBytes(id)
    }
    #expect(table.strings == ["alpha", ""])
    #expect(table.lookup("alpha") == a)
  }
}
