#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One customer's repeat-transaction history in the shape the BG/NBD model reads.
///
/// Time is in one unit chosen by the caller (the churn stage uses days; the CDNOW data of
/// the paper uses weeks), measured from the customer's first transaction.
public struct RepeatSummary: Sendable, Hashable {
  /// `x`: the number of repeat transactions (transactions after the first).
  public var frequency: Double
  /// `t_x`: the time of the last transaction (0 when `frequency` is 0).
  public var recency: Double
  /// `T`: the time from the first transaction to the end of observation.
  public var age: Double

  public init(frequency: Double, recency: Double, age: Double) {
    self.frequency = frequency
    self.recency = recency
    self.age = age
  }

  /// The summary of a customer whose first active day is `first`, last active day `last`,
  /// with `activeDays` distinct active days in between (inclusive), observed to day `end`.
  /// Days are whole UTC days; the result is in days.
  public init(firstDay first: Int64, lastDay last: Int64, activeDays: Int, end: Int64) {
    frequency = Double(max(activeDays - 1, 0))
    recency = activeDays > 1 ? Double(last - first) : 0
    age = Double(max(end - first, 0))
  }

  /// Summarises a customer's transaction days (any order, repeats allowed): days after
  /// `end` are ignored, several transactions on one day count once. Nil when no day is
  /// on or before `end` (the customer was not yet acquired).
  public static func summarize(days: some Sequence<Int64>, through end: Int64) -> RepeatSummary? {
    let kept = days.filter { $0 <= end }.sorted()
    guard let first = kept.first, let last = kept.last else { return nil }
    var distinct = 1
    for index in kept.indices.dropFirst() where kept[index] != kept[index - 1] { distinct += 1 }
    return RepeatSummary(firstDay: first, lastDay: last, activeDays: distinct, end: end)
  }

  /// The same summary with every time multiplied by `factor` (days to weeks: 1.0 / 7).
  public func scaled(by factor: Double) -> RepeatSummary {
    RepeatSummary(frequency: frequency, recency: recency * factor, age: age * factor)
  }
}

/// The BG/NBD ("beta-geometric / negative binomial") model of Fader, Hardie and Lee (2005),
/// "Counting your customers the easy way".
///
/// While alive, a customer transacts as a Poisson process whose rate is gamma(`r`, `alpha`)
/// over customers; after each transaction the customer drops out with a probability that is
/// beta(`a`, `b`) over customers. The time unit is the unit of the data the model was
/// fitted on (`alpha` is a rate scale in that unit).
public struct BGNBD: Sendable, Equatable {
  public var r: Double
  public var alpha: Double
  public var a: Double
  public var b: Double

  public init(r: Double, alpha: Double, a: Double, b: Double) {
    self.r = r
    self.alpha = alpha
    self.a = a
    self.b = b
  }

  /// The log-likelihood of one customer's history (the paper's equation 6, in logs).
  public func logLikelihood(_ s: RepeatSummary) -> Double {
    let x = s.frequency
    let a1 = lgamma(r + x) - lgamma(r) + r * log(alpha)
    let a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
    let a3 = -(r + x) * log(alpha + s.age)
    guard x > 0 else { return a1 + a2 + a3 }
    let a4 = log(a) - log(b + x - 1) - (r + x) * log(alpha + s.recency)
    return a1 + a2 + logAddExp(a3, a4)
  }

  /// The summed log-likelihood of many customers.
  public func logLikelihood(_ data: [RepeatSummary]) -> Double {
    data.reduce(0) { $0 + logLikelihood($1) }
  }

  /// P(alive | x, t_x, T): the probability that the customer has not dropped out.
  ///
  /// `1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))`.
  public func probabilityAlive(_ s: RepeatSummary) -> Double {
    guard s.frequency > 0 else { return 1 }
    let logOdds =
      log(a) - log(b + s.frequency - 1)
      + (r + s.frequency) * (log(alpha + s.age) - log(alpha + s.recency))
    return 1 / (1 + exp(logOdds))
  }

  /// E[Y(t) | x, t_x, T]: the expected number of transactions in the next `t` time units
  /// (the paper's equation 10; Gaussian hypergeometric function by its power series).
  public func expectedTransactions(in t: Double, given s: RepeatSummary) -> Double {
    guard t > 0 else { return 0 }
    let x = s.frequency
    let aa = abs(a - 1) < 1e-9 ? 1 + 1e-9 : a
    let rx = r + x
    let z = t / (alpha + s.age + t)
    let hyper = hypergeometric2F1(rx, b + x, aa + b + x - 1, z)
    let bracket = 1 - exp(rx * log1p(-z) + log(hyper))
    return (aa + b + x - 1) / (aa - 1) * bracket * probabilityAlive(s)
  }
}

/// log(exp(u) + exp(v)) without overflow.
func logAddExp(_ u: Double, _ v: Double) -> Double {
  let high = max(u, v)
  guard high.isFinite else { return high }
  return high + log1p(exp(min(u, v) - high))
}

/// 2F1(a, b; c; z) for 0 ≤ z < 1 by its power series (terms summed until negligible).
func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
  var term = 1.0
  var sum = 1.0
  var n = 0.0
  while n < 1_000_000 {
    term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
    sum += term
    n += 1
    if abs(term) <= 1e-15 * abs(sum) { break }
  }
  return sum
}
