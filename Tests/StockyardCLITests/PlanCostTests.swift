import Foundation
import StockyardTestSupport
import Testing

/// A plan reads the quantities of the locations whose change moves numbers, and no others: on a
/// metered store, reading every linked location's inventory for every plan is the cost that matters.
@Suite struct PlanCostTests {
    @Test func aPlanReadsOnlyTheInventoryOfTheConnectionThatChanges() async throws {
        try await ShopifyDemo.with { demo in
            let dir = demo.shopifyDir
            let apply = try await CLIRunner.runDetached(["apply", "--auto-approve"], in: dir, environment: demo.environment)
            #expect(apply.status == 0, "\(apply.stderr)")
            let web = try #require(demo.emulators["web"]), wholesale = try #require(demo.emulators["wholesale"])
            func levelReads() async -> Int {
                await web.shop.statistics.count(.inventoryLevels) + wholesale.shop.statistics.count(.inventoryLevels)
            }

            // Nothing changed: the location lists, and no inventory at all.
            var before = await levelReads()
            let unchanged = try await CLIRunner.runDetached(["plan", "--detailed-exitcode"], in: dir, environment: demo.environment)
            #expect(unchanged.status == 0, "\(unchanged.stdout)\(unchanged.stderr)")
            #expect(await levelReads() == before)

            // York switches master: its inventory alone is read, and the impact is as informative as ever.
            let url = dir.appendingPathComponent("stockyard.yaml")
            let text = try String(contentsOf: url, encoding: .utf8)
            let york = "        warehouse: york\n        master: store         # trial: Stockyard only copies the shop's numbers for now\n        testing_until: 2027-09-30   # until we switch it to stockyard master\n"
            #expect(text.contains(york))
            try text.replacingOccurrences(of: york, with: "        warehouse: york\n        master: stockyard\n").write(to: url, atomically: true, encoding: .utf8)
            before = await levelReads()
            let webBefore = await web.shop.statistics.count(.inventoryLevels)
            let switched = try await CLIRunner.runDetached(["plan"], in: dir, environment: demo.environment)
            #expect(switched.status == 0, "\(switched.stderr)")
            #expect(switched.stdout.contains("~ connection.web[\"York shop\"]"), "\(switched.stdout)")
            #expect(switched.stdout.contains("# no numbers change (both sides already agree)"), "the impact, from York's numbers: \(switched.stdout)")
            #expect(await levelReads() == before + 1, "one page of York's inventory levels")
            #expect(await web.shop.statistics.count(.inventoryLevels) == webBefore + 1)
        }
    }
}
