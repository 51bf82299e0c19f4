// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "polku",
  products: [
    .executable(name: "polku", targets: ["polku"]),
    .library(name: "PolkuCore", targets: ["PolkuCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    // System zlib (zlib1g-dev): streaming gzip inflate and crc32.
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
    ),
    // Linux system calls Swift's Glibc module does not expose (renameat2).
    .systemLibrary(name: "CPolkuSystem"),
    // SHA-256 block compression in C: x86 SHA extensions when the CPU has them.
    .target(name: "CPolkuKernels"),
    .target(
      name: "PolkuCore",
      dependencies: [
        "CZlib", "CPolkuSystem", "CPolkuKernels", .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The synthetic-data generator (`polku generate`) and its gzip writer; no run uses it.
    .target(name: "PolkuGenerate", dependencies: ["PolkuCore", "CZlib"]),
    .executableTarget(
      name: "polku",
      dependencies: [
        "PolkuCore",
        "PolkuGenerate",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(
      name: "PolkuCoreTests", dependencies: ["PolkuCore", "PolkuGenerate", "CPolkuKernels"]),
    .testTarget(name: "PolkuGenerateTests", dependencies: ["PolkuGenerate", "PolkuCore", "CZlib"]),
    .testTarget(name: "PolkuCLITests", dependencies: ["PolkuCore", "PolkuGenerate"]),
  ]
)
