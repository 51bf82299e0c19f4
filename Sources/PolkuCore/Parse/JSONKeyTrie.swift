/// The dotted key paths a ``JSONLinesParser`` extracts, compiled into a flat trie.
///
/// Node 0 is the root (the line's top-level object). Each node's children are a contiguous
/// run of edges labelled with one object key each; a node reached by an array key may also
/// have selectors (`[member=value]`) leading to the node of the matching elements. A node carries the fields whose path ends
/// there (`fieldMask`) and every field whose path runs through it (`subtreeMask`), so a
/// repeated key can clear what an earlier occurrence set ("last key wins").
struct JSONKeyTrie: Sendable {
  struct Node: Sendable {
    var firstEdge: Int32 = 0
    var edgeCount: Int32 = 0
    /// Bit `slot` is set when a path ends at this node (a ``RecordFields`` slot: a field's
    /// raw value, or a hidden slot for a fallback path).
    var fieldMask: UInt32 = 0
    /// The fields of this node and of all nodes below it.
    var subtreeMask: UInt32 = 0
    /// The node's array selectors (`name[member=value]`): a contiguous run.
    var firstSelector: Int32 = 0
    var selectorCount: Int32 = 0
  }

  /// Selects, from an array, the object elements whose string member `member` equals
  /// `value`; their members are then looked up among the children of `child`.
  struct Selector: Sendable {
    var memberStart: Int32
    var memberLength: Int32
    var valueStart: Int32
    var valueLength: Int32
    var child: Int32
  }

  struct Edge: Sendable {
    var keyStart: Int32
    var keyLength: Int32
    var child: Int32
    /// The key's first 8 bytes, little-endian, zero-padded: most keys are compared with
    /// one word compare.
    var head: UInt64
  }

  private(set) var nodes: [Node] = []
  /// Each node's edges, ordered by key length (keys of ``longKey`` bytes or more last).
  private(set) var edges: [Edge] = []
  private(set) var selectors: [Selector] = []
  /// Edge keys, and selector members and values.
  private(set) var keys: [UInt8] = []
  /// Per node, ``lengthSlots`` entries: where the node's edges with keys of each length
  /// start (lengths from ``longKey`` on share the last one), then where they end. A key is
  /// compared only with the edges of its own length: usually none or one, where a scan of
  /// all of a node's keys took up to one compare per key.
  private(set) var byLength: [Int32] = []

  /// Keys of this many bytes or more share one length slot.
  static let longKey = 32
  static let lengthSlots = longKey + 2

  /// Compiles plain dotted `paths` (split on `.`; empty components are the key `""`), one
  /// slot per field (tests).
  init(paths: [Field: String]) {
    self.init(
      slots: paths.map { ($0.key.rawValue, JSONFieldPath(plain: $0.value).alternatives[0]) })
  }

  /// Compiles one path per value slot (a ``RecordFields`` slot; at most 32).
  init(slots: [(slot: Int, steps: [JSONFieldPath.Step])]) {
    // Build a tree of nodes with their children, then lay edges out per node.
    var children: [[(key: [UInt8], child: Int)]] = [[]]
    var choices: [[(member: [UInt8], value: [UInt8], child: Int)]] = [[]]
    var masks: [UInt32] = [0]
    func newNode() -> Int {
      children.append([])
      choices.append([])
      masks.append(0)
      return children.count - 1
    }
    for (slot, steps) in slots.sorted(by: { $0.slot < $1.slot }) {
      var node = 0
      for step in steps {
        if let existing = children[node].first(where: { $0.key == step.key }) {
          node = existing.child
        } else {
          let child = newNode()
          children[node].append((step.key, child))
          node = child
        }
        guard let (member, value) = step.selector else { continue }
        if let existing = choices[node].first(where: { $0.member == member && $0.value == value }) {
          node = existing.child
        } else {
          let child = newNode()
          choices[node].append((member, value, child))
          node = child
        }
      }
      masks[node] |= 1 << UInt32(slot)
    }
    nodes = masks.map { Node(fieldMask: $0) }
    byLength = [Int32](repeating: 0, count: children.count * JSONKeyTrie.lengthSlots)
    for node in children.indices {
      nodes[node].firstEdge = Int32(edges.count)
      nodes[node].edgeCount = Int32(children[node].count)
      nodes[node].firstSelector = Int32(selectors.count)
      nodes[node].selectorCount = Int32(choices[node].count)
      for (member, value, child) in choices[node] {
        selectors.append(
          Selector(
            memberStart: Int32(keys.count), memberLength: Int32(member.count),
            valueStart: Int32(keys.count + member.count), valueLength: Int32(value.count),
            child: Int32(child)))
        keys.append(contentsOf: member)
        keys.append(contentsOf: value)
      }
      let slot = { (key: [UInt8]) in min(key.count, JSONKeyTrie.longKey) }
      let sorted = children[node].enumerated().sorted {
        (slot($0.element.key), $0.offset) < (slot($1.element.key), $1.offset)
      }.map(\.element)
      let base = node * JSONKeyTrie.lengthSlots
      var next = 0
      for length in 0...JSONKeyTrie.longKey {
        byLength[base + length] = Int32(edges.count + next)
        while next < sorted.count && slot(sorted[next].key) == length { next += 1 }
      }
      byLength[base + JSONKeyTrie.longKey + 1] = Int32(edges.count + sorted.count)
      for (key, child) in sorted {
        var head: UInt64 = 0
        for (index, byte) in key.prefix(8).enumerated() { head |= UInt64(byte) << (8 * index) }
        edges.append(
          Edge(
            keyStart: Int32(keys.count), keyLength: Int32(key.count), child: Int32(child),
            head: head))
        keys.append(contentsOf: key)
      }
    }
    // Children always have larger indices than their parent: fold masks bottom-up.
    for node in nodes.indices.reversed() {
      var mask = nodes[node].fieldMask
      let first = Int(nodes[node].firstEdge)
      for edge in edges[first..<(first + Int(nodes[node].edgeCount))] {
        mask |= nodes[Int(edge.child)].subtreeMask
      }
      let firstSelector = Int(nodes[node].firstSelector)
      for selector in selectors[firstSelector..<(firstSelector + Int(nodes[node].selectorCount))] {
        mask |= nodes[Int(selector.child)].subtreeMask
      }
      nodes[node].subtreeMask = mask
    }
  }

  /// Whether `bytes` equal the trie's stored bytes `start..<start + length`.
  func storedBytes(_ start: Int32, _ length: Int32, equal bytes: UnsafePointer<UInt8>, count: Int)
    -> Bool
  {
    guard Int(length) == count else { return false }
    return keys.withUnsafeBufferPointer { all in
      for offset in 0..<count where all[Int(start) + offset] != bytes[offset] { return false }
      return true
    }
  }

  /// The child of `node` reached by the key `bytes`, or -1.
  ///
  /// `readable` is how many bytes from `key` may be read (at least `count`); when it
  /// allows a whole word, the key's first 8 bytes are compared at once.
  @inline(__always)
  func child(of node: Int, key: UnsafePointer<UInt8>, count: Int, readable: Int) -> Int {
    let slot = node &* JSONKeyTrie.lengthSlots &+ min(count, JSONKeyTrie.longKey)
    var index = Int(byLength[slot])
    let stop = Int(byLength[slot + 1])
    if index == stop { return -1 }
    guard readable >= 8 else {
      while index < stop {
        let edge = edges[index]
        if Int(edge.keyLength) == count && matches(edge, key, from: 0) { return Int(edge.child) }
        index += 1
      }
      return -1
    }
    let word = UnsafeRawPointer(key).loadUnaligned(as: UInt64.self)
    let head = count >= 8 ? word : word & ((1 << (UInt64(count) * 8)) &- 1)
    while index < stop {
      let edge = edges[index]
      if edge.head == head && Int(edge.keyLength) == count
        && (count <= 8 || matches(edge, key, from: 8))
      {
        return Int(edge.child)
      }
      index += 1
    }
    return -1
  }

  /// The child of `node` reached by the key `bytes`, or -1 (keys that had escapes).
  func child(of node: Int, key: UnsafePointer<UInt8>, count: Int) -> Int {
    child(of: node, key: key, count: count, readable: count)
  }

  @inline(__always)
  private func matches(_ edge: Edge, _ key: UnsafePointer<UInt8>, from first: Int) -> Bool {
    keys.withUnsafeBufferPointer { all in
      var offset = first
      let start = Int(edge.keyStart)
      let count = Int(edge.keyLength)
      while offset < count {
        if all[start + offset] != key[offset] { return false }
        offset += 1
      }
      return true
    }
  }
}
