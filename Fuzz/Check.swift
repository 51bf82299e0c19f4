// Shared by every harness: a check that keeps its message in -O builds (precondition's
// message is dropped there), so a crash log says which property failed.

func check(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
  file: StaticString = #fileID, line: UInt = #line
) {
  if !condition() { fatalError(message(), file: file, line: line) }
}
