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
            let web = try #require(demo.emulators["web"])
            let wholesale = try #require(demo.emulators["wholesale"])
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
            let york =
                "        warehouse: york\n        master: store         # trial: Stockyard only copies the shop's numbers for now\n        testing_until: 2027-09-30   # until we switch it to stockyard master\n"
            #expect(text.contains(york))
            try text.replacingOccurrences(of: york, with: "        warehouse: york\n        master: stockyard\n").write(
                to: url, atomically: true, encoding: .utf8)
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

extension PlanCostTests {
    /// Two Shopify stores of five locations each, every location stocking `skus` SKUs; each
    /// warehouse is fed by store one's location (store master) and pushes to store two's.
    struct Catalog {
        var dir: URL
        var emulators: [ShopifyEmulator]
        var environment: [String: String]

        static func make(skus: Int) async throws -> Catalog {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-cost-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            var emulators: [ShopifyEmulator] = []
            var environment: [String: String] = [:]
            var yaml = "version: 1\nwarehouses:\n"
            for w in 1...5 { yaml += "  w\(w): { name: Warehouse \(w), kind: own }\n" }
            yaml += "stores:\n"
            for s in 1...2 {
                let token = "shpat_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                // Fast enough for a test; the points are counted whatever the bucket's size.
                let emulator = try await ShopifyEmulator.start(token: token, limits: CostLimits(maximumAvailable: 1_000_000, restoreRate: 1_000_000))
                emulators.append(emulator)
                environment["S\(s)_SHOPIFY_TOKEN"] = token
                yaml +=
                    "  s\(s):\n    platform: shopify\n    shop: s\(s).myshopify.com\n    credentials: env:S\(s)_SHOPIFY_TOKEN\n    endpoint: \(emulator.endpoint)\n    locations:\n"
                for l in 1...5 {
                    let id = await emulator.shop.addLocation("L\(l)")
                    for i in 0..<skus { await emulator.shop.setAvailable(s == 1 ? (i * 7 + l) % 50 : 0, sku: "SKU-\(i)", at: id) }
                    yaml += "      L\(l): { warehouse: w\(l), master: \(s == 1 ? "store" : "stockyard"), testing_until: 2099-01-01 }\n"
                }
            }
            yaml += "lint: { ignore: [own-on-store-master, store-master-shared] }\n"
            // The operator allows the emulators as endpoints, outside the config.
            environment["STOCKYARD_ALLOWED_ENDPOINTS"] = emulators.map(\.endpoint).joined(separator: ",")
            try yaml.write(to: dir.appendingPathComponent("stockyard.yaml"), atomically: true, encoding: .utf8)
            return Catalog(dir: dir, emulators: emulators, environment: environment)
        }

        func points() async -> Double {
            var total = 0.0
            for emulator in emulators { total += await emulator.shop.statistics.pointsConsumed }
            return total
        }

        func stop() async {
            for emulator in emulators { await emulator.stop() }
            try? FileManager.default.removeItem(at: dir)
        }
    }

    /// 2 stores × 5 locations × 600 SKUs (STOCKYARD_COST_SKUS=20000 for the full-size figure): a
    /// plan of one change costs the location lists and one location, read in bulk past its first page.
    @Test func aPlanOfOneChangeCostsAFractionOfAFullRead() async throws {
        let skus = Int(ProcessInfo.processInfo.environment["STOCKYARD_COST_SKUS"] ?? "") ?? 600
        let catalog = try await Catalog.make(skus: skus)
        do {
            let env = catalog.environment
            var before = await catalog.points()
            let first = try await CLIRunner.runDetached(["plan"], in: catalog.dir, environment: env)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let full = await catalog.points() - before  // every linked location is new: all read
            let apply = try await CLIRunner.runDetached(["apply", "--auto-approve"], in: catalog.dir, environment: env)
            #expect(apply.status == 0, "\(apply.stderr)")
            let url = catalog.dir.appendingPathComponent("stockyard.yaml")
            let text = try String(contentsOf: url, encoding: .utf8)
            try text.replacingOccurrences(
                of: "L1: { warehouse: w1, master: store, testing_until: 2099-01-01 }", with: "L1: { warehouse: w1, master: stockyard }"
            )
            .write(to: url, atomically: true, encoding: .utf8)
            before = await catalog.points()
            let one = try await CLIRunner.runDetached(["plan"], in: catalog.dir, environment: env)
            #expect(one.status == 0, "\(one.stderr)")
            #expect(one.stdout.contains("Plan: 0 to create, 1 to update, 0 to delete."), "\(one.stdout)")
            let changed = await catalog.points() - before
            // What every plan read before: all ten locations, every page (250 levels, 753 points each).
            let paged = 10.0 * Double((skus + 249) / 250) * 753
            #expect(changed < full, "one change: \(changed) points, a plan reading every location: \(full)")
            #expect(changed * 20 < paged, "one change: \(changed) points, every location paged: \(paged)")
            print(
                "plan cost, 2 stores × 5 locations × \(skus) SKUs: every location paged \(Int(paged)) points; every location, bulk past the first page \(Int(full)); one change \(Int(changed)) (\(String(format: "%.0f", paged / changed))× fewer than paged)"
            )
        } catch {
            await catalog.stop()
            throw error
        }
        await catalog.stop()
    }
}
