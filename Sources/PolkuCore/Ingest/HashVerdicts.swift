/// A yes/no answer per 64-bit hash, in an open-addressing table (no `Hasher` per lookup).
///
/// Used for per-value verdicts that repeat on every event, such as "is this user agent a
/// bot". Keys are hashes already, so they index the table directly.
struct HashVerdicts {
  private var keys = [UInt64](repeating: 0, count: 1024)
  private var values = [Bool](repeating: false, count: 1024)
  private var count = 0

  /// The recorded verdict for `key`, or nil.
  func verdict(_ key: UInt64) -> Bool? {
    let stored = key == 0 ? 1 : key
    let mask = keys.count - 1
    var slot = Int(truncatingIfNeeded: stored) & mask
    while keys[slot] != 0 {
      if keys[slot] == stored { return values[slot] }
      slot = (slot + 1) & mask
    }
    return nil
  }

  /// Records `value` for `key`.
  mutating func record(_ key: UInt64, _ value: Bool) {
    if (count + 1) * 2 > keys.count { grow() }
    let stored = key == 0 ? 1 : key
    let mask = keys.count - 1
    var slot = Int(truncatingIfNeeded: stored) & mask
    while keys[slot] != 0 && keys[slot] != stored { slot = (slot + 1) & mask }
    if keys[slot] == 0 { count += 1 }
    keys[slot] = stored
    values[slot] = value
  }

  private mutating func grow() {
    let oldKeys = keys
    let oldValues = values
    keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
    values = [Bool](repeating: false, count: oldKeys.count * 2)
    count = 0
    for index in oldKeys.indices where oldKeys[index] != 0 {
      record(oldKeys[index], oldValues[index])
    }
  }
}
