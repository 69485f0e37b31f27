import Foundation
import StockyardEngine
import StockyardTestSupport

/// The bundled demo twice over: once as `file` stores, once as Shopify stores served by emulators
/// holding the same locations, addresses and stock. Location ids are Shopify ids in both, so the
/// two configs describe the same hub and must plan the same.
struct ShopifyDemo {
    /// Holds `stockyard.yaml` with `file` stores and their `stores/*.json`.
    var fileDir: URL
    /// Holds `stockyard.yaml` with `platform: shopify` stores (nothing else).
    var shopifyDir: URL
    /// Store file name (`web`, `wholesale`) → its emulator.
    var emulators: [String: ShopifyEmulator]
    /// Store file name → its token.
    var tokens: [String: String]

    /// `WEB_SHOPIFY_TOKEN=…` for every store, and the emulators allowed as endpoints the way an
    /// operator allows a proxy: `STOCKYARD_ALLOWED_ENDPOINTS`, outside the config.
    var environment: [String: String] {
        var out = Dictionary(uniqueKeysWithValues: tokens.map { (Self.variable($0.key), $0.value) })
        out["STOCKYARD_ALLOWED_ENDPOINTS"] = emulators.values.map(\.endpoint).sorted().joined(separator: ",")
        return out
    }

    /// A name the credential policy allows by default: it holds `SHOPIFY`.
    static func variable(_ name: String) -> String { name.uppercased() + "_SHOPIFY_TOKEN" }

    static func make() async throws -> ShopifyDemo {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-shopify-\(UUID().uuidString)")
        let fileDir = root.appendingPathComponent("file")
        let shopifyDir = root.appendingPathComponent("shopify")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLIRunner.repository.appendingPathComponent("examples/demo"), to: fileDir)
        try FileManager.default.createDirectory(at: shopifyDir, withIntermediateDirectories: true)
        let storesDir = fileDir.appendingPathComponent("stores")
        var emulators: [String: ShopifyEmulator] = [:]
        var tokens: [String: String] = [:]
        var ids: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: storesDir.path).sorted() where file.hasSuffix(".json") {
            let name = String(file.dropLast(5))
            let token = "shpat_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let emulator = try await ShopifyEmulator.start(token: token, limits: .plus)
            emulators[name] = emulator
            tokens[name] = token
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: storesDir.appendingPathComponent(file))) as! [String: Any]
            for location in document["locations"] as? [[String: Any]] ?? [] {
                let a = location["address"] as? [String: String]
                let gid = await emulator.shop.addLocation(
                    location["name"] as! String, active: location["active"] as? Bool ?? true,
                    fulfillmentService: (location["fulfillment_service"] as? Bool ?? false) ? "\(location["name"]!) app" : nil,
                    address: a.map {
                        PostalAddress(address1: $0["address1"], address2: $0["address2"], city: $0["city"], zip: $0["zip"], countryCode: $0["country_code"])
                    })
                ids[location["id"] as! String] = gid
                for (sku, units) in (document["quantities"] as? [String: [String: Int]])?[location["id"] as! String] ?? [:] {
                    await emulator.shop.setAvailable(units, sku: sku, at: gid)
                }
            }
        }
        // The same ids on both sides: rewrite the file stores and the pins to Shopify ids.
        for file in try FileManager.default.contentsOfDirectory(atPath: storesDir.path) where file.hasSuffix(".json") {
            let url = storesDir.appendingPathComponent(file)
            try replacingIDs(try String(contentsOf: url, encoding: .utf8), ids, quoted: true).write(to: url, atomically: true, encoding: .utf8)
        }
        let config = replacingIDs(try String(contentsOf: fileDir.appendingPathComponent("stockyard.yaml"), encoding: .utf8), ids, quoted: false)
        var fileLines: [String] = []
        var shopifyLines: [String] = []
        let lines = config.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.trimmingCharacters(in: .whitespaces) == "platform: file", i + 1 < lines.count,
                let name = storeName(inPathLine: lines[i + 1]), let emulator = emulators[name]
            {
                let indent = String(line.prefix { $0 == " " })
                // Four lines on both sides, so every diagnostic has the same position in both files.
                fileLines += [line, lines[i + 1], indent + "#", indent + "#"]
                shopifyLines += [
                    indent + "platform: shopify", indent + "shop: \(name).myshopify.com",
                    indent + "credentials: env:\(variable(name))", indent + "endpoint: \(emulator.endpoint)",
                ]
                i += 2
                continue
            }
            fileLines.append(line)
            shopifyLines.append(line)
            i += 1
        }
        try fileLines.joined(separator: "\n").write(to: fileDir.appendingPathComponent("stockyard.yaml"), atomically: true, encoding: .utf8)
        try shopifyLines.joined(separator: "\n").write(to: shopifyDir.appendingPathComponent("stockyard.yaml"), atomically: true, encoding: .utf8)
        return ShopifyDemo(fileDir: fileDir, shopifyDir: shopifyDir, emulators: emulators, tokens: tokens)
    }

    func stop() async {
        for emulator in emulators.values { await emulator.stop() }
        try? FileManager.default.removeItem(at: fileDir.deletingLastPathComponent())
    }

    /// `    path: stores/web.json   # comment` → `web`.
    static func storeName(inPathLine line: String) -> String? {
        let t = line.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("path: stores/") else { return nil }
        let file = t.dropFirst("path: stores/".count).prefix { !$0.isWhitespace }
        return file.hasSuffix(".json") ? String(file.dropLast(5)) : nil
    }

    static func replacingIDs(_ text: String, _ ids: [String: String], quoted: Bool) -> String {
        var out = text
        // Longest first, so that an id that is a prefix of another is not replaced inside it.
        for (old, new) in ids.sorted(by: { $0.key.count > $1.key.count }) {
            out =
                quoted
                ? out.replacingOccurrences(of: "\"\(old)\"", with: "\"\(new)\"")
                : out.replacingOccurrences(of: "id: \(old)", with: "id: \(new)")
        }
        return out
    }
}

extension CLIRunner {
    /// Runs the binary on a thread of its own and awaits it: `run` blocks until the child exits,
    /// and the emulators the child talks to are served from this process's concurrency pool,
    /// which a blocked pool thread could starve on a 2-core machine.
    static func runDetached(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try CLIRunner.run(arguments, in: directory, environment: environment) })
            }
            thread.start()
        }
    }
}

extension ShopifyDemo {
    /// Sets the demo up, runs `body`, and stops the emulators whatever happens.
    static func with(_ body: (ShopifyDemo) async throws -> Void) async throws {
        let demo = try await make()
        do {
            try await body(demo)
        } catch {
            await demo.stop()
            throw error
        }
        await demo.stop()
    }
}
