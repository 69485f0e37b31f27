import Foundation
import StockyardTestSupport
import Testing

/// `stockyard` against Shopify stores served by emulators on loopback: same plans as `file`
/// stores, faults that recover or fail clearly with exit 1, and tokens that never show.
@Suite struct ShopifyPlanTests {
    /// A JSON plan without what names the config file and the stores' targets, which differ by design.
    static func comparable(_ json: String) throws -> String {
        var plan = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["config_sha256", "config_file", "plan_id"] { plan.removeValue(forKey: key) }
        if var changes = plan["changes"] as? [[String: Any]] {
            for i in changes.indices where changes[i]["kind"] as? String == "store" {
                for side in ["before", "after"] {
                    if var object = changes[i][side] as? [String: Any] {
                        object.removeValue(forKey: "platform")
                        object.removeValue(forKey: "target")
                        changes[i][side] = object
                    }
                }
            }
            plan["changes"] = changes
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: plan, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }

    @Test func twoShopifyStoresPlanLikeTheEquivalentFileStores() async throws {
        try await ShopifyDemo.with { demo in
            let file = try await CLIRunner.runDetached(["plan", "--format", "json"], in: demo.fileDir)
            let shopify = try await CLIRunner.runDetached(["plan", "--format", "json"], in: demo.shopifyDir, environment: demo.environment)
            #expect(file.status == 0, "\(file.stderr)")
            #expect(shopify.status == 0, "\(shopify.stderr)")
            #expect(file.stdout.contains("\"platform\" : \"file\"") || file.stdout.contains("\"platform\": \"file\""))
            #expect(shopify.stdout.contains("shopify"))
            #expect(try Self.comparable(shopify.stdout) == Self.comparable(file.stdout))
            // The text rendering too, but for the store lines, which name the platform and target.
            let fileText = try await CLIRunner.runDetached(["plan"], in: demo.fileDir)
            let shopifyText = try await CLIRunner.runDetached(["plan"], in: demo.shopifyDir, environment: demo.environment)
            let withoutStores = { (s: String) in
                s.split(separator: "\n").filter { !$0.contains("store.") && !$0.contains("platform = ") && !$0.contains("target   = ") }.joined(separator: "\n")
            }
            #expect(withoutStores(shopifyText.stdout) == withoutStores(fileText.stdout))
            for emulator in demo.emulators.values {
                #expect(await emulator.shop.statistics.apiVersions == ["2026-10"])
            }
        }
    }

    @Test func aThousandLocationsAreReadInFourRequests() async throws {
        let token = "shpat_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            await emulator.shop.addLocations(count: 1000, prefix: "Store")
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-1000-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try """
            version: 1
            lint: { ignore: [unmanaged-location, own-on-store-master] }
            warehouses:
              w1: { name: W1, kind: own }
            stores:
              big:
                platform: shopify
                shop: big.myshopify.com
                credentials: env:BIG_SHOPIFY_TOKEN
                endpoint: \(emulator.endpoint)
                locations:
                  Store 1000: { warehouse: w1, master: store }

            """.write(to: dir.appendingPathComponent("stockyard.yaml"), atomically: true, encoding: .utf8)
            let result = try await CLIRunner.runDetached(
                ["plan", "--allow-endpoint", emulator.endpoint], in: dir, environment: ["BIG_SHOPIFY_TOKEN": token])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let stats = await emulator.shop.statistics
            #expect(stats.count(.locations) == 4)
            #expect(stats.throttledResponses == 0)
        }
    }

    static let recoverable: [ShopifyFault] = [
        .throttled, .tooManyRequests(retryAfter: "1"), .serverError(502), .serverError(503), .slow(.milliseconds(500)), .malformedJSON,
    ]

    @Test(arguments: recoverable)
    func aPassingFaultGivesTheSamePlan(fault: ShopifyFault) async throws {
        try await ShopifyDemo.with { demo in
            let clean = try await CLIRunner.runDetached(["plan"], in: demo.shopifyDir, environment: demo.environment)
            await demo.emulators["web"]!.shop.inject(fault)
            let faulted = try await CLIRunner.runDetached(["plan"], in: demo.shopifyDir, environment: demo.environment)
            #expect(faulted.status == 0, "\(faulted.stdout)\(faulted.stderr)")
            #expect(faulted.stdout == clean.stdout)
            #expect(await demo.emulators["web"]!.shop.statistics.injectedFaults == 1)
        }
    }

    @Test(arguments: [
        (ShopifyFault.serverError(503), "Shopify answered HTTP 503; gave up after 4 attempts"),
        (.malformedJSON, "Shopify sent a response that is not valid JSON; gave up after 4 attempts"),
        (.unauthorized, "Shopify rejected the access token (HTTP 401)"),
        (.throttled, "Shopify kept rate-limiting requests (Throttled) after 10 waits; try again later"),
        (.tooManyRequests(retryAfter: "0.1"), "Shopify kept rate-limiting requests (HTTP 429) after 10 waits; try again later"),
        (.tooManyRequests(retryAfter: "600"), "Shopify asked to wait 600 s before the next request (HTTP 429); try again later"),
    ])
    func aLastingFaultExitsOneNamingTheStore(fault: ShopifyFault, message: String) async throws {
        try await ShopifyDemo.with { demo in
            await demo.emulators["web"]!.shop.inject(fault, times: 10_000)
            let result = try await CLIRunner.runDetached(["plan"], in: demo.shopifyDir, environment: demo.environment)
            #expect(result.status == 1)
            let output = result.stdout + result.stderr
            #expect(output.contains("error: store 'web' could not be read: \(message) [store-unreadable]"), "\(output)")
            #expect(!output.contains(demo.tokens["web"]!))
        }
    }

    @Test func noTokenInAnyOutput() async throws {
        try await ShopifyDemo.with { demo in
            let dir = demo.shopifyDir
            let env = demo.environment
            var outputs: [String] = []
            func record(_ r: CLIRunner.Result) { outputs += [r.stdout, r.stderr] }
            record(try await CLIRunner.runDetached(["validate"], in: dir, environment: env))
            record(try await CLIRunner.runDetached(["validate", "--format", "json"], in: dir, environment: env))
            for format in ["text", "json", "markdown"] {
                record(try await CLIRunner.runDetached(["plan", "--format", format, "--out", "plan-\(format).json"], in: dir, environment: env))
            }
            record(try await CLIRunner.runDetached(["show", "plan-json.json"], in: dir, environment: env))
            // A token Shopify rejects, and one that is sent to a store that is failing.
            var wrong = env
            wrong[ShopifyDemo.variable("web")] = "shpat_wrong_" + UUID().uuidString
            let rejected = try await CLIRunner.runDetached(["plan"], in: dir, environment: wrong)
            #expect(rejected.status == 1)
            record(rejected)
            await demo.emulators["wholesale"]!.shop.inject(.malformedJSON, times: 100)
            record(try await CLIRunner.runDetached(["plan"], in: dir, environment: env))
            // init writes a config from a shop: neither the file nor the messages hold the token.
            let webEndpoint = demo.emulators["web"]!.endpoint
            let initialised = try await CLIRunner.runDetached(
                [
                    "init", "--store", "web", "--platform", "shopify", "--shop", "web.myshopify.com", "--credentials", "env:WEB_SHOPIFY_TOKEN",
                    "--endpoint", webEndpoint, "--output", "first.yaml",
                ], in: dir, environment: env)
            #expect(initialised.status == 0, "\(initialised.stderr)")
            record(initialised)
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                outputs.append((try? String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)) ?? "")
            }
            #expect(outputs.count > 20)
            for token in demo.tokens.values + [wrong[ShopifyDemo.variable("web")]!] {
                #expect(!outputs.contains { $0.contains(token) }, "the token appears in an output")
            }
        }
    }

    @Test func initWritesAFirstConfigFromAShop() async throws {
        try await ShopifyDemo.with { demo in
            let dir = demo.shopifyDir
            let endpoint = demo.emulators["web"]!.endpoint
            let result = try await CLIRunner.runDetached(
                [
                    "init", "--store", "web", "--platform", "shopify", "--shop", "web.myshopify.com", "--credentials", "env:WEB_SHOPIFY_TOKEN",
                    "--endpoint", endpoint, "--output", "first.yaml",
                ], in: dir, environment: demo.environment)
            #expect(result.status == 0, "\(result.stderr)")
            let text = try String(contentsOf: dir.appendingPathComponent("first.yaml"), encoding: .utf8)
            // A line of the written config, whichever way the writer quoted the value.
            func has(_ key: String, _ value: String) -> Bool {
                text.contains("    \(key): \(value)\n") || text.contains("    \(key): \"\(value)\"\n")
            }
            #expect(has("platform", "shopify") && has("shop", "web.myshopify.com") && has("credentials", "env:WEB_SHOPIFY_TOKEN"), "\(text)")
            #expect(has("endpoint", endpoint))
            #expect(text.contains("id: gid://shopify/Location/") || text.contains("id: \"gid://shopify/Location/"))
            #expect(text.contains("kind: 3pl"), "the fulfillment-service location becomes a 3PL warehouse")
            let plan = try await CLIRunner.runDetached(["plan", "--config", "first.yaml"], in: dir, environment: demo.environment)
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("+ store.web"))
        }
    }

    @Test func initNamesAMissingVariableAndRefusesALiteralToken() async throws {
        let dir = FileManager.default.temporaryDirectory
        let missing = try await CLIRunner.runDetached(
            [
                "init", "--store", "acme", "--platform", "shopify", "--shop", "acme.myshopify.com", "--credentials", "env:STOCKYARD_TEST_UNSET_SHOPIFY_TOKEN",
                "--endpoint", "http://127.0.0.1:9", "--allow-endpoint", "http://127.0.0.1:9", "--output", "never-\(UUID().uuidString).yaml",
            ], in: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("acme: the environment variable STOCKYARD_TEST_UNSET_SHOPIFY_TOKEN is not set"), "\(missing.stderr)")
        let literal = try await CLIRunner.runDetached(
            ["init", "--store", "acme", "--platform", "shopify", "--shop", "acme.myshopify.com", "--credentials", "shpat_pasted_secret"], in: dir)
        #expect(literal.status == 64)
        #expect(!(literal.stdout + literal.stderr).contains("shpat_pasted_secret"))
        let noShop = try await CLIRunner.runDetached(["init", "--store", "acme", "--platform", "shopify", "--credentials", "env:X"], in: dir)
        #expect(noShop.status == 64)
        #expect(noShop.stderr.contains("--platform shopify needs --shop"))
    }
}
