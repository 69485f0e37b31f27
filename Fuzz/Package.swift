// swift-tools-version: 6.1
import Foundation
import PackageDescription

// A path dependency's identity is its directory's name, which differs between checkouts
// (a CI clone lives in another folder), so derive it instead of spelling it.
let stockyard = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "StockyardFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "StockyardFuzz",
            dependencies: [
                "FuzzerEntry",
                // The store reader's vector scan, which the reader's sources linked here call.
                .product(name: "CStockyardScan", package: stockyard),
                .product(name: "YAMLKit", package: stockyard),
                .product(name: "StockyardConfig", package: stockyard),
                .product(name: "StockyardEngine", package: stockyard),
            ]
        ),
        .target(name: "FuzzerEntry"),
    ]
)
