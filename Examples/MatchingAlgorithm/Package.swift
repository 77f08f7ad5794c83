// swift-tools-version:6.0
// "gavel plus one matching algorithm": a separate package that depends on Gavel by path,
// registers its algorithm, and is the gavel command with it (same CLI, scenarios, sweeps, report).
import PackageDescription

let package = Package(
    name: "MatchingAlgorithmExample",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Gavel", path: "../..")],
    targets: [
        .executableTarget(name: "GavelWithHyperbolic", dependencies: [
            .product(name: "Gavel", package: "Gavel"),
            .product(name: "GavelCommandLine", package: "Gavel"),
        ]),
    ]
)
