import Foundation
import StockyardTestSupport
import Testing

/// `stockyard sync` against Shopify keeps each location's read mark in the state: the first run
/// reads every linked location in full, the next ones only what changed, and `--full-every`
/// brings the full reads back.
@Suite struct ShopifySyncCommandTests {
    @Test func aSecondSyncReadsOnlyWhatChangedAndFullEveryReadsInFull() async throws {
        try await ShopifyDemo.with { demo in
            let dir = demo.shopifyDir
            let apply = try await CLIRunner.runDetached(["apply", "--auto-approve"], in: dir, environment: demo.environment)
            #expect(apply.status == 0, "\(apply.stderr)")
            let first = try await CLIRunner.runDetached(["sync", "--once"], in: dir, environment: demo.environment)
            #expect(first.status == 0, "\(first.stderr)")
            let line = try #require(first.stderr.split(separator: "\n").first { $0.hasPrefix("read ") })
            let linked = try #require(Int(line.split(separator: " ")[1]))
            #expect(line == "read \(linked) locations in full, 0 for their changes only", "\(first.stderr)")

            let again = try await CLIRunner.runDetached(["sync", "--once"], in: dir, environment: demo.environment)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stderr.contains("read 0 locations in full, \(linked) for their changes only"), "\(again.stderr)")

            let full = try await CLIRunner.runDetached(["sync", "--once", "--full-every", "0s"], in: dir, environment: demo.environment)
            #expect(full.status == 0, "\(full.stderr)")
            #expect(full.stderr.contains("read \(linked) locations in full, 0 for their changes only"), "\(full.stderr)")
        }
    }
}
