/// The state of one ``LineReader/readLines(path:chunkSize:maxLineBytes:progress:_:)`` call.
struct ReadRun: ~Copyable {
  typealias Body = LineSplitter.Body

  var report: ReadReport
  private var splitter: LineSplitter
  private let input: UnsafeMutableBufferPointer<UInt8>
  private let output: UnsafeMutableBufferPointer<UInt8>
  private let progress: ((Int) -> Void)?
  /// Whether the last read returned less than asked, i.e. reached end of file.
  private var atEnd = false

  init(path: String, chunkSize: Int, maxLineBytes: Int, progress: ((Int) -> Void)?) {
    report = ReadReport(path: path)
    splitter = LineSplitter(maxLineBytes: maxLineBytes)
    input = .allocate(capacity: chunkSize)
    output = .allocate(capacity: chunkSize)
    self.progress = progress
  }

  /// Frees the buffers (a noncopyable type with a `deinit` could not be consumed in parts).
  func release() {
    input.deallocate()
    output.deallocate()
  }

  mutating func read(_ file: borrowing ReadableFile, _ body: Body) throws {
    let count = try refill(file, keeping: 0)
    guard count > 0 else { return }
    report.isGzip = count >= 2 && input[0] == 0x1F && input[1] == 0x8B
    if report.isGzip {
      try readGzip(file, count, body)
    } else {
      try readPlain(file, count, body)
    }
    report.lines = splitter.lines
  }

  /// Moves the last `keeping` bytes of the input to its start, fills the rest from the
  /// file, and returns the number of bytes now in the input.
  private mutating func refill(_ file: borrowing ReadableFile, keeping: Int, from: Int = 0)
    throws(PolkuError) -> Int
  {
    guard let base = input.baseAddress else { return 0 }
    if keeping > 0 && from > 0 { base.update(from: base + from, count: keeping) }
    let room = UnsafeMutableRawBufferPointer(start: base + keeping, count: input.count - keeping)
    let count = try file.fill(room)
    atEnd = count < room.count
    if count > 0 {
      report.compressedBytes += count
      progress?(report.compressedBytes)
    }
    return keeping + count
  }

  private mutating func readPlain(_ file: borrowing ReadableFile, _ first: Int, _ body: Body)
    throws
  {
    var count = first
    while count > 0 {
      report.inflatedBytes += count
      try splitter.feed(UnsafeBufferPointer(rebasing: input[0..<count]), body)
      if atEnd { break }
      count = try refill(file, keeping: 0)
    }
    try splitter.finish(body)
  }

  private mutating func readGzip(_ file: borrowing ReadableFile, _ first: Int, _ body: Body)
    throws
  {
    var inflater = try GzipInflater()
    guard let base = input.baseAddress else { return }
    inflater.setInput(base, count: first)
    while true {
      if inflater.availableInput == 0 && !atEnd {
        inflater.setInput(base, count: try refill(file, keeping: 0))
      }
      let (step, produced) = try inflater.inflate(output: output)
      report.inflatedBytes += produced
      try splitter.feed(UnsafeBufferPointer(rebasing: output[0..<produced]), body)
      switch step {
      case .progress:
        // Room left in the output and no input left: the member is cut off.
        if produced < output.count && inflater.availableInput == 0 && atEnd {
          return damaged("unexpected end of file (truncated gzip member)", inflater)
        }
      case .memberEnd:
        report.members += 1
        var left = inflater.availableInput
        if left < 2 && !atEnd {
          let from = left > 0 ? (inflater.nextInput.map { $0 - base } ?? 0) : 0
          left = try refill(file, keeping: left, from: from)
          inflater.setInput(base, count: left)
        }
        guard left > 0, let next = inflater.nextInput else { return try splitter.finish(body) }
        guard left >= 2 && next[0] == 0x1F && next[1] == 0x8B else {
          damaged("trailing garbage after gzip member", inflater, keepLastLine: true)
          return try splitter.finish(body)
        }
        inflater.reset()
      case .invalid(let message):
        return damaged("invalid gzip data: \(message)", inflater)
      case .checkFailed(let message):
        // The damage is reported at the trailer that disagrees with the data.
        return damaged("invalid gzip data: \(message)", inflater, before: 8)
      }
    }
  }

  private mutating func damaged(
    _ reason: String, _ inflater: borrowing GzipInflater, keepLastLine: Bool = false,
    before: Int = 0
  ) {
    let offset = report.compressedBytes - inflater.availableInput - before
    report.damage = ReadDamage(offset: offset, reason: reason)
    if !keepLastLine { splitter.discardPartialLine() }
  }
}
