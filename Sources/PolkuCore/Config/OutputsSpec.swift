/// How the output files are written.
public struct OutputsSpec: Codable, Sendable, Equatable {
  /// Text cells of every CSV file that start with `=`, `+`, `-`, `@`, tab or CR get a
  /// leading `'`, so a spreadsheet shows them as text instead of running them as formulas
  /// (OWASP's rule against CSV injection). Turn it off only for files no person opens in a
  /// spreadsheet: machine consumers then read the values exactly as logged.
  public var csvFormulaGuard = true

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case csvFormulaGuard = "csv_formula_guard"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
    csvFormulaGuard = try c.decodeIfPresent(Bool.self, forKey: .csvFormulaGuard) ?? csvFormulaGuard
  }
}
