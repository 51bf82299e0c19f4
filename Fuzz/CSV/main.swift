// libFuzzer harness: CSVParser fed line by line as FileIngest does, including the
// `.needsMore` joins of quoted cells over line breaks. The first byte picks the delimiter.

private let columns: [Field: String] = [
  .timestamp: "timestamp", .userId: "user_id", .anonymousId: "anonymous_id",
  .channel: "channel", .event: "touchpoint", .messageId: "message_id", .page: "touchpoint",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard size > 0 else { return 0 }
  let delimiter: UInt8 = data[0] & 1 == 0 ? UInt8(ascii: ",") : 9
  let maxLine = 1 << 12
  let input = UnsafeBufferPointer(start: data + 1, count: size - 1)
  var parser = CSVParser(delimiter: delimiter, columns: columns)
  var fields = RecordFields()
  var pending: [UInt8] = []
  var records = 0

  func handle(_ line: UnsafeBufferPointer<UInt8>) {
    fields.reset()
    switch parser.parse(line, into: &fields) {
    case .needsMore:
      pending = Array(line)
    case .record:
      records += 1
      for field in Field.allCases {
        let count = fields.withValue(field) { $0.count } ?? 0
        check(count <= line.count, "\(field) longer than the record")
      }
      check(
        fields.string(.event) == fields.string(.page), "two fields on one column differ")
    case .skip, .bad:
      break
    }
  }

  var lines = input.split(separator: 0x0A, omittingEmptySubsequences: false)
  if lines.last?.isEmpty == true { lines.removeLast() }
  for raw in lines {
    var line = Array(raw)
    if line.last == 0x0D { line.removeLast() }
    if !pending.isEmpty {
      var joined = pending
      pending.removeAll()
      joined.append(0x0A)
      joined.append(contentsOf: line)
      guard joined.count <= maxLine else { continue }
      joined.withUnsafeBufferPointer { handle($0) }
      continue
    }
    line.withUnsafeBufferPointer { handle($0) }
  }
  if parser.headerColumns == nil { check(records == 0, "a record before the header") }
  return 0
}
