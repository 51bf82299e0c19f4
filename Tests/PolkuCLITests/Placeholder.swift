import Testing

@testable import PolkuCore

@Suite struct VersionTests { @Test func hasVersion() { #expect(!PolkuVersion.current.isEmpty) } }
