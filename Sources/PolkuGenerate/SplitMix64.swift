/// A tiny seeded pseudo-random generator (Steele, Lea & Flood's SplitMix64).
///
/// The same seed always yields the same sequence on every platform, which is what makes
/// generated data sets byte-identical between runs. Not for cryptography.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The current state; advanced by a fixed odd constant on every draw.
  public private(set) var state: UInt64

  /// Creates a generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// The next 64 random bits.
  @inline(__always)
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SplitMix64.mix(state)
  }

  /// SplitMix64's output function: a bijection on `UInt64`, so distinct inputs give
  /// distinct outputs (used to turn counters into unique random-looking ids).
  @inline(__always)
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `0..<bound` (`bound` > 0), by Lemire's multiply-shift.
  @inline(__always)
  public mutating func below(_ bound: Int) -> Int {
    Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
  }

  /// A uniform integer in `range`.
  @inline(__always)
  public mutating func within(_ range: ClosedRange<Int64>) -> Int64 {
    range.lowerBound + Int64(below(Int(range.upperBound - range.lowerBound + 1)))
  }

  /// A uniform `Double` in `0..<1` with 53 random bits.
  @inline(__always)
  public mutating func unit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// True with probability `p`.
  @inline(__always)
  public mutating func chance(_ p: Double) -> Bool {
    unit() < p
  }

  /// An index drawn with probability proportional to `weights` (all ≥ 0, sum > 0).
  public mutating func weighted(_ weights: [Int]) -> Int {
    var total = 0
    for weight in weights { total += weight }
    var pick = below(total)
    for (index, weight) in weights.enumerated() {
      if pick < weight { return index }
      pick -= weight
    }
    return weights.count - 1
  }
}
