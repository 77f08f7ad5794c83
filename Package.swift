// swift-tools-version:6.0
// Gavel: an auction and mechanism-design simulator.
// Layers (arrows point down only; a family module never imports another family):
//   gavel (CLI) -> GavelScenario -> families (GavelSingleItem, ...) -> GavelData, GavelLP, GavelConfig, GavelCore
import PackageDescription

let package = Package(
    name: "Gavel",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Gavel", targets: ["Gavel"]),
        .executable(name: "gavel", targets: ["GavelCLI"]),
        // The `gavel` command as a library: a program that registers kinds of its own calls
        // `GavelCommand.main()` and is "gavel plus its kinds", with the same CLI.
        .library(name: "GavelCommandLine", targets: ["GavelCommandLine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Simulation kernel, random sources, distributions, metrics, statistics, hashing (SHA-256 blocks in CGavelKernels).
        .target(name: "GavelCore", dependencies: ["CGavelKernels"]),
        // The input layer: the one YAML reader (scenarios and instance files), the strict decoder,
        // data-file paths, closed name sets and validation.
        .target(name: "GavelConfig", dependencies: ["GavelCore", .product(name: "Yams", package: "Yams")]),
        // GLPK through a system library (Debian's libglpk-dev ships no pkg-config file).
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        // A few C lines that turn GLPK's abort-on-error into a return code (setjmp + error hook).
        .target(name: "CGLPKShim", dependencies: ["CGLPK"]),
        // COIN-OR Clp (Debian's coinor-libclp-dev) through a C++ shim that opens libClp at run time
        // and turns its C++ exceptions into return codes (the header is needed to build it).
        .target(name: "CClpShim", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "GavelLP", dependencies: ["GavelCore", "CGLPK", "CGLPKShim", "CClpShim"]),
        // zlib, for reading .gz traces in place (Debian's zlib1g-dev).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Trace readers (Google clusterdata-2011-2, iPinYou, RLB files) and synthetic generators.
        .target(name: "GavelData", dependencies: ["GavelCore", "CZlib"]),
        // Mechanism families.
        .target(name: "GavelSingleItem", dependencies: ["GavelCore", "GavelConfig"]),
        .target(name: "GavelIoT", dependencies: ["GavelCore", "GavelConfig", "GavelLP", "GavelData"]),
        // Hot loops in C with explicit AVX2 (SHA-256 with the SHA extensions) and runtime dispatch (exact arithmetic, see the header).
        .target(name: "CGavelKernels"),
        .target(name: "GavelRTB", dependencies: ["GavelCore", "GavelConfig", "GavelData", "CGavelKernels"]),
        .target(name: "GavelMatching", dependencies: ["GavelCore", "GavelConfig", "GavelLP", "GavelData"]),
        .target(name: "GavelAdAuctions", dependencies: ["GavelCore", "GavelConfig", "GavelLP", "GavelData"]),
        .target(name: "GavelInfoAcq", dependencies: ["GavelCore", "GavelConfig", "GavelLP", "GavelData"]),
        // Scenario files, experiment registry, result writers.
        .target(name: "GavelScenario", dependencies: [
            "GavelCore", "GavelConfig", "GavelData", "CGavelKernels", "GavelSingleItem", "GavelIoT", "GavelRTB", "GavelMatching",
            "GavelAdAuctions", "GavelInfoAcq",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Umbrella module for users who embed Gavel.
        // The report layer: reads result folders only (no family, no scenario code).
        .target(name: "GavelReport", dependencies: ["GavelCore"]),
        .target(name: "Gavel", dependencies: ["GavelCore", "GavelConfig", "GavelLP", "GavelData", "GavelScenario", "GavelReport",
                                              "GavelSingleItem", "GavelIoT", "GavelRTB", "GavelMatching",
                                              "GavelAdAuctions", "GavelInfoAcq"]),
        .target(name: "GavelCommandLine", dependencies: [
            "Gavel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "GavelCLI", dependencies: ["GavelCommandLine"]),

        .testTarget(name: "GavelCoreTests", dependencies: ["GavelCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GavelConfigTests", dependencies: ["GavelConfig"]),
        .testTarget(name: "GavelLPTests", dependencies: ["GavelLP"]),
        .testTarget(name: "GavelScenarioTests", dependencies: ["GavelScenario"]),
        .testTarget(name: "GavelSingleItemTests", dependencies: ["GavelSingleItem"]),
        .testTarget(name: "GavelDataTests", dependencies: ["GavelData", "GavelConfig"]),
        .testTarget(name: "GavelIoTTests", dependencies: ["GavelIoT", "GavelScenario"]),
        .testTarget(name: "GavelRTBTests", dependencies: ["GavelRTB", "GavelScenario"]),
        .testTarget(name: "GavelMatchingTests", dependencies: ["GavelMatching", "GavelScenario"]),
        .testTarget(name: "GavelAdAuctionsTests", dependencies: ["GavelAdAuctions", "GavelScenario"]),
        .testTarget(name: "GavelInfoAcqTests", dependencies: ["GavelInfoAcq", "GavelScenario"]),
        .testTarget(name: "GavelCLITests", dependencies: ["GavelCLI"]),
        .testTarget(name: "GavelReportTests", dependencies: ["GavelReport"]),
    ]
)
