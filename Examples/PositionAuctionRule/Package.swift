// swift-tools-version:6.0
// "gavel plus one position-auction rule": a separate package that depends on Gavel by path,
// registers its rule with the AI-content kinds, and is the gavel command with it.
import PackageDescription

let package = Package(
    name: "PositionAuctionRuleExample",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Gavel", path: "../..")],
    targets: [
        .executableTarget(name: "GavelWithBidOrder", dependencies: [
            .product(name: "Gavel", package: "Gavel"),
            .product(name: "GavelCommandLine", package: "Gavel"),
        ]),
    ]
)
