/// A "did you mean" for a misspelt required option.
///
/// ArgumentParser suggests the nearest option for an unknown one, but when a required
/// option is missing it reports only that: `--pipline x` gets "Missing expected argument
/// '--pipeline'", which hides the typo. This finds the typo in that case.
enum OptionHint {
  /// The hint for `arguments` (without the program name), given the parser's `message`
  /// and the `known` long option names (with their dashes, read only when the message is
  /// about a missing argument); nil when there is none.
  static func hint(
    arguments: [String], message: String, known: @autoclosure () -> Set<String>
  ) -> String? {
    guard message.contains("Missing expected argument") else { return nil }
    let known = known()
    for argument in arguments {
      if argument == "--" { break }
      guard argument.hasPrefix("--"), argument.count > 2 else { continue }
      let name = String(argument.prefix { $0 != "=" })
      guard !known.contains(name) else { continue }
      let nearest = known.map { (name: $0, distance: distance(name, $0)) }
        .filter { $0.distance <= 2 && $0.distance * 3 < $0.name.count }
        .min { ($0.distance, $0.name) < ($1.distance, $1.name) }
      if let nearest { return "Hint: unknown option '\(name)'. Did you mean '\(nearest.name)'?" }
    }
    return nil
  }

  /// The long option names in a help text (`--name` words).
  static func optionNames(inHelp text: String) -> Set<String> {
    let words = text.split { !($0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-")) }
    return Set(
      words.filter { $0.hasPrefix("--") && $0.dropFirst(2).first?.isLetter == true }
        .map(String.init))
  }

  /// Levenshtein distance over characters.
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + [Int](repeating: 0, count: b.count)
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      previous = current
    }
    return previous[b.count]
  }
}
