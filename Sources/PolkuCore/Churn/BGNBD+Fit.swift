#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The result of fitting ``BGNBD`` by maximum likelihood.
public struct BGNBDFit: Sendable, Equatable {
  public var model: BGNBD
  /// The summed log-likelihood at `model`.
  public var logLikelihood: Double
  /// The number of customers fitted.
  public var customers: Int
  /// Whether the last Nelder–Mead restart met its tolerance without improving the optimum.
  public var converged: Bool
  /// Objective evaluations over all restarts.
  public var evaluations: Int

  /// The parameters a usable fit stays within: far outside, the optimum has run off
  /// towards a limit of the model (`a` → 0: nobody ever drops out; `r`, `alpha` → ∞
  /// together: every customer buys at the same rate), where P(alive) says nothing.
  /// Published fits span about 0.05...100 (Fader, Hardie and Lee 2005, CDNOW in weeks:
  /// r 0.24, alpha 4.41, a 0.79, b 2.43; alpha in days is 7 times larger).
  public static let usableRange = 1e-4...1e4

  /// Why the fit must not be used for scoring, in plain words; nil when it can be.
  ///
  /// A fit is not used when the search did not converge, or when a parameter ran off
  /// outside ``usableRange`` (towards the bounds of the search, e^±25): short histories
  /// and data without dropout put the likelihood's maximum at such a limit, where the
  /// parameters are arbitrary along a flat ridge and P(alive) is about 1 for everyone.
  public var notUsableBecause: String? {
    let parameters = [("r", model.r), ("alpha", model.alpha), ("a", model.a), ("b", model.b)]
    let off = parameters.filter { !BGNBDFit.usableRange.contains($0.1) || !$0.1.isFinite }
    if !off.isEmpty {
      let list = off.map { "\($0.0) = \(BGNBDFit.scientific($0.1))" }.joined(separator: ", ")
      let limit =
        off.contains { $0.0 == "a" && $0.1 < 1 }
        ? ": no customer seems to drop out (too short a history, or none has left yet)"
        : ": the data cannot tell the customers' rates apart"
      return "the fit ran off to a limit of the model (\(list))\(limit)"
    }
    if !converged {
      return "the fit did not converge (\(evaluations) evaluations)"
    }
    return nil
  }

  /// `1.6e+07`: two significant digits.
  static func scientific(_ value: Double) -> String {
    guard value.isFinite, value > 0 else { return "\(value)" }
    let exponent = Int(floor(log10(value)))
    var mantissa = value / pow(10, Double(exponent))
    var power = exponent
    if (mantissa * 10).rounded() >= 100 {
      mantissa /= 10
      power += 1
    }
    let sign = power < 0 ? "-" : "+"
    let digits = abs(power) < 10 ? "0\(abs(power))" : "\(abs(power))"
    return "\(formatFixed(mantissa, digits: 1))e\(sign)\(digits)"
  }
}

extension BGNBD {
  /// Fits (r, alpha, a, b) by maximum likelihood.
  ///
  /// Minimises the mean negative log-likelihood over the logs of the four parameters (so
  /// they stay positive) with Nelder–Mead, restarted from the best point until a restart no
  /// longer improves it. A search that crawls along a flat ridge (short histories often
  /// push `a` to 0 and `r`, `alpha` to infinity together: the no-dropout limit) stops when
  /// the best value has gained less than 1e-10 (relative) over ``stallWindow`` iterations;
  /// such a fit is reported as not converged. Customers with equal summaries are folded
  /// into one weighted term and the gamma-function terms are computed once per distinct
  /// `x`, so the cost of one evaluation grows with the number of distinct histories, not
  /// of customers. Entirely deterministic. Nil when `data` is empty.
  public static func fit(
    _ data: [RepeatSummary], start: BGNBD = BGNBD(r: 1, alpha: 1, a: 1, b: 1)
  ) -> BGNBDFit? {
    guard !data.isEmpty else { return nil }
    let objective = GroupedLikelihood(data)
    var evaluations = 0
    let f: ([Double]) -> Double = { p in
      evaluations += 1
      // Beyond e^±25 the likelihood is flat (a, b → ∞ is the no-dropout limit): stop there.
      if p.contains(where: { abs($0) > 25 }) { return .infinity }
      let value =
        -objective.logLikelihood(
          BGNBD(r: exp(p[0]), alpha: exp(p[1]), a: exp(p[2]), b: exp(p[3]))) / objective.total
      return value.isFinite ? value : .infinity
    }
    var best = [log(start.r), log(start.alpha), log(start.a), log(start.b)]
    var bestValue = f(best)
    var converged = false
    var step = 0.5
    for _ in 0..<8 {
      let run = nelderMead(
        f, from: best, step: step, tolerance: 1e-12, maxIterations: 3000,
        stall: (iterations: stallWindow, gain: 1e-10))
      let improved = bestValue - run.value > 1e-12 * max(1, abs(bestValue))
      if run.value < bestValue {
        best = run.point
        bestValue = run.value
      }
      if !improved && run.converged {
        converged = true
        break
      }
      // A stalled crawl restarted from its end only crawls on: the optimum is at the
      // boundary, and the point reached is as good as the likelihood can tell apart.
      if run.stalled { break }
      step = 0.1
    }
    let model = BGNBD(r: exp(best[0]), alpha: exp(best[1]), a: exp(best[2]), b: exp(best[3]))
    return BGNBDFit(
      model: model, logLikelihood: objective.logLikelihood(model), customers: data.count,
      converged: converged && bestValue.isFinite, evaluations: evaluations)
  }
}

extension BGNBD {
  /// Iterations over which a Nelder–Mead run must still improve (see ``fit(_:start:)``).
  static let stallWindow = 200
}

/// Customers grouped by identical summary, the groups sorted by `x`.
struct GroupedLikelihood {
  var xs: [Double] = []  // distinct x values
  var groups: [(xIndex: Int, recency: Double, age: Double, weight: Double)] = []
  var total: Double

  init(_ data: [RepeatSummary]) {
    var counts: [RepeatSummary: Int] = [:]
    for s in data { counts[s, default: 0] += 1 }
    let keys = counts.keys.sorted {
      ($0.frequency, $0.recency, $0.age) < ($1.frequency, $1.recency, $1.age)
    }
    for key in keys {
      if xs.last != key.frequency { xs.append(key.frequency) }
      groups.append((xs.count - 1, key.recency, key.age, Double(counts[key] ?? 0)))
    }
    total = Double(data.count)
  }

  /// The summed log-likelihood of every customer (same terms as ``BGNBD/logLikelihood(_:)``).
  func logLikelihood(_ m: BGNBD) -> Double {
    let common = -lgamma(m.r) + m.r * log(m.alpha) + lgamma(m.a + m.b) - lgamma(m.b)
    let logA = log(m.a)
    var perX = [Double](repeating: 0, count: xs.count)
    var oddsX = [Double](repeating: 0, count: xs.count)
    for (index, x) in xs.enumerated() {
      perX[index] = common + lgamma(m.r + x) + lgamma(m.b + x) - lgamma(m.a + m.b + x)
      oddsX[index] = x > 0 ? logA - log(m.b + x - 1) : -.infinity
    }
    var sum = 0.0
    for g in groups {
      let x = xs[g.xIndex]
      let a3 = -(m.r + x) * log(m.alpha + g.age)
      var term = perX[g.xIndex] + a3
      if x > 0 {
        let a4 = oddsX[g.xIndex] - (m.r + x) * log(m.alpha + g.recency)
        term = perX[g.xIndex] + logAddExp(a3, a4)
      }
      sum += g.weight * term
    }
    return sum
  }
}

/// Minimises `f` with the Nelder–Mead simplex method (reflection 1, expansion 2,
/// contraction 0.5, shrink 0.5), from a simplex of `point` and `point + step * e_i`, until
/// the values at the simplex's vertices differ by at most `tolerance` (relative), or,
/// with `stall`, until the best value gained less than `stall.gain` (relative) over the
/// last `stall.iterations` iterations (`stalled`: not converged).
func nelderMead(
  _ f: ([Double]) -> Double, from point: [Double], step: Double, tolerance: Double,
  maxIterations: Int, stall: (iterations: Int, gain: Double)? = nil
) -> (point: [Double], value: Double, converged: Bool, stalled: Bool) {
  let n = point.count
  var simplex = [point]
  for i in 0..<n {
    var vertex = point
    vertex[i] += step
    simplex.append(vertex)
  }
  var values = simplex.map(f)
  func combine(_ u: [Double], _ v: [Double], _ t: Double) -> [Double] {
    (0..<n).map { u[$0] + t * (v[$0] - u[$0]) }
  }
  var checkpoint = Double.infinity
  for iteration in 0..<maxIterations {
    let order = (0...n).sorted { (values[$0], $0) < (values[$1], $1) }
    simplex = order.map { simplex[$0] }
    values = order.map { values[$0] }
    let spread = abs(values[n] - values[0])
    if spread <= tolerance * max(1, abs(values[0])) {
      return (simplex[0], values[0], true, false)
    }
    if let stall, iteration % stall.iterations == 0 {
      if checkpoint - values[0] <= stall.gain * max(1, abs(values[0])) {
        return (simplex[0], values[0], false, true)
      }
      checkpoint = values[0]
    }
    var centroid = [Double](repeating: 0, count: n)
    for vertex in simplex.dropLast() {
      for i in 0..<n { centroid[i] += vertex[i] / Double(n) }
    }
    let reflected = combine(centroid, simplex[n], -1)
    let fr = f(reflected)
    if fr < values[0] {
      let expanded = combine(centroid, simplex[n], -2)
      let fe = f(expanded)
      if fe < fr {
        simplex[n] = expanded
        values[n] = fe
      } else {
        simplex[n] = reflected
        values[n] = fr
      }
    } else if fr < values[n - 1] {
      simplex[n] = reflected
      values[n] = fr
    } else {
      let outside = fr < values[n]
      let contracted = combine(centroid, outside ? reflected : simplex[n], 0.5)
      let fc = f(contracted)
      if fc < (outside ? fr : values[n]) {
        simplex[n] = contracted
        values[n] = fc
      } else {
        for j in 1...n {
          simplex[j] = combine(simplex[0], simplex[j], 0.5)
          values[j] = f(simplex[j])
        }
      }
    }
  }
  let bestIndex = (0...n).min { (values[$0], $0) < (values[$1], $1) } ?? 0
  return (simplex[bestIndex], values[bestIndex], false, false)
}
