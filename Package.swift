// swift-tools-version: 6.1
import PackageDescription

// scripts/release.sh sets STOCKYARD_BUILD_COMMIT to the commit it builds from, for `--version`; a
// normal build leaves it unset. The environment, unlike `Context.gitInformation`, is part of the key
// under which SwiftPM caches this manifest, so a new commit is never printed as an old one.
let buildCommit = Context.environment["STOCKYARD_BUILD_COMMIT"].flatMap { $0.isEmpty ? nil : $0 }

let package = Package(
    name: "Stockyard",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "stockyard", targets: ["stockyard"]),
        .library(name: "YAMLKit", targets: ["YAMLKit"]),
        .library(name: "StockyardEngine", targets: ["StockyardEngine"]),
        .library(name: "StockyardConfig", targets: ["StockyardConfig"]),
        // For Fuzz/, whose store target builds the store reader's sources, which call it.
        .library(name: "CStockyardScan", targets: ["CStockyardScan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(name: "stockyard", dependencies: ["StockyardCLI"]),
        .target(
            name: "StockyardCLI",
            dependencies: [
                "StockyardEngine", "StockyardConfig", "StockyardState", "StockyardAdapters", "CStockyardBuild",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(name: "YAMLKit", dependencies: ["CYAML"]),
        // The vector scan of a store file's SKU objects (SSE2 or AVX2 on x86-64; elsewhere the Swift scan).
        .target(name: "CStockyardScan"),
        .target(name: "CStockyardBuild", cSettings: buildCommit.map { [.define("STOCKYARD_BUILD_COMMIT", to: $0)] } ?? []),
        .target(
            name: "StockyardEngine",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "StockyardConfig", dependencies: ["YAMLKit", "StockyardEngine"]),
        .target(
            name: "StockyardState",
            dependencies: [
                "StockyardEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's own C API, as GRDB links it: the stock rows of a plan are read column by column.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "StockyardAdapters",
            dependencies: [
                "StockyardEngine", "CStockyardScan",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "StockyardTestSupport",
            dependencies: [
                "StockyardEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/StockyardTestSupport"
        ),
        .testTarget(name: "YAMLKitTests", dependencies: ["YAMLKit"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "StockyardConfigTests",
            dependencies: ["StockyardConfig", "StockyardEngine"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "StockyardEngineTests", dependencies: ["StockyardEngine", "StockyardTestSupport"], exclude: ["Goldens"]
        ),
        .testTarget(name: "StockyardStateTests", dependencies: ["StockyardState", "StockyardTestSupport"]),
        .testTarget(name: "StockyardAdaptersTests", dependencies: ["StockyardAdapters", "StockyardTestSupport"]),
        .testTarget(
            name: "StockyardCLITests", dependencies: ["StockyardCLI", "StockyardState", "StockyardTestSupport"], exclude: ["Goldens"]
        ),
    ]
)
