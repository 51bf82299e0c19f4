/// The version of polku, written into every manifest.
public enum PolkuVersion {
  public static let current = "0.1.0"
}
