import Foundation
import StockyardTestSupport
import Testing

/// A config is data: each way a config from a pull request could make Stockyard send a secret or
/// touch a file outside the repository, run as a user would. For each, a listener on loopback that
/// records every connection receives nothing, no file outside is read or written, the error names
/// the store and the way to allow it, and no planted secret appears in any output or file; the
/// same run with the operator's switch does go through, so none of these can pass by being deaf.
@Suite(.serialized) struct SecurityTests {
    /// A repository folder holding the config, with a folder beside it that a config must not reach.
    struct Scene {
        var root: URL
        var repo: URL { root.appendingPathComponent("repo") }
        var outside: URL { root.appendingPathComponent("outside") }
        /// A planted secret, in the environment under a name no Shopify token has, and in a file outside.
        let secret = "AKIA" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        var outputs: [String] = []

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-security-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("repo/stores"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("outside"), withIntermediateDirectories: true)
            try secret.write(to: outside.appendingPathComponent("aws.key"), atomically: true, encoding: .utf8)
        }

        func config(_ text: String) throws {
            try text.write(to: repo.appendingPathComponent("stockyard.yaml"), atomically: true, encoding: .utf8)
        }

        /// Runs `stockyard` in the repository with the secret in `AWS_SECRET_ACCESS_KEY`, and keeps the output.
        mutating func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIRunner.Result {
            var env = ["AWS_SECRET_ACCESS_KEY": secret, "ACME_SHOPIFY_TOKEN": secret]
            for (k, v) in environment { env[k] = v }
            let result = try CLIRunner.run(arguments, in: repo, environment: env)
            outputs += [result.stdout, result.stderr]
            return result
        }

        /// Every output so far and every file under the scene but the planted one, as text.
        func everything() -> [String] {
            var texts = outputs
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isSymbolicLinkKey])
            while let url = walker?.nextObject() as? URL {
                // The planted file itself, and the links a test plants to it.
                if url.lastPathComponent == "aws.key" || (try? url.resourceValues(forKeys: [.isSymbolicLinkKey]).isSymbolicLink) == true { continue }
                if let data = FileManager.default.contents(atPath: url.path) { texts.append(String(decoding: data, as: UTF8.self)) }
            }
            return texts
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func shopifyConfig(endpoint: String?, credentials: String) -> String {
        """
        version: 1
        lint: { ignore: [unmanaged-location, own-on-store-master] }
        warehouses:
          w1: { name: W1, kind: own }
        stores:
          acme:
            platform: shopify
            shop: acme.myshopify.com
            credentials: \(credentials)
        \(endpoint.map { "    endpoint: \($0)\n" } ?? "")    locations:
              Main: { warehouse: w1, master: store }

        """
    }

    // MARK: - Endpoints

    @Test func anEndpointTheOperatorDidNotAllowReceivesNothing() throws {
        var scene = try Scene()
        defer { scene.remove() }
        let collector = try RecordingServer()
        defer { collector.stop() }
        try scene.config(Self.shopifyConfig(endpoint: collector.url, credentials: "env:ACME_SHOPIFY_TOKEN"))
        for command in [["plan"], ["plan", "--out", "plan.json"], ["apply", "--auto-approve"], ["sync", "--once"]] {
            let result = try scene.run(command)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("stockyard.yaml:6:3: store 'acme': `endpoint: \(collector.url)` is not allowed"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("--allow-endpoint \(collector.url)"))
            #expect(result.stderr.contains("STOCKYARD_ALLOWED_ENDPOINTS="))
        }
        let initialised = try scene.run([
            "init", "--store", "acme", "--platform", "shopify", "--shop", "acme.myshopify.com", "--credentials", "env:ACME_SHOPIFY_TOKEN",
            "--endpoint", collector.url, "--output", "first.yaml",
        ])
        #expect(initialised.status == 1)
        #expect(initialised.stderr.contains("is not allowed"), "\(initialised.stderr)")
        #expect(collector.requests.isEmpty, "the collector received \(collector.requests.count) connections")
        #expect(!FileManager.default.fileExists(atPath: scene.repo.appendingPathComponent(".stockyard").path), "nothing is written")
        #expect(!FileManager.default.fileExists(atPath: scene.repo.appendingPathComponent("plan.json").path))
        #expect(!FileManager.default.fileExists(atPath: scene.repo.appendingPathComponent("first.yaml").path))
        #expect(!scene.everything().contains { $0.contains(scene.secret) })

        // Allowed by the operator, by flag or by variable, the same config does reach it.
        _ = try scene.run(["plan", "--allow-endpoint", collector.url])
        #expect(collector.requests.count >= 1)
        #expect(
            collector.receivedText.contains("X-Shopify-Access-Token: \(scene.secret)")
                || collector.receivedText.lowercased().contains(scene.secret.lowercased()))
        let before = collector.requests.count
        _ = try scene.run(["plan"], environment: ["STOCKYARD_ALLOWED_ENDPOINTS": "http://example.invalid, \(collector.url)/"])
        #expect(collector.requests.count > before)
    }

    @Test func aTypoInTheAllowedEndpointsIsAnErrorNotSilence() throws {
        var scene = try Scene()
        defer { scene.remove() }
        try scene.config(Self.shopifyConfig(endpoint: nil, credentials: "env:ACME_SHOPIFY_TOKEN"))
        let result = try scene.run(["plan"], environment: ["STOCKYARD_ALLOWED_ENDPOINTS": "https://proxy.internal,htps//typo"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("STOCKYARD_ALLOWED_ENDPOINTS holds 'htps//typo', which is not an http:// or https:// base URL"), "\(result.stderr)")
        let flag = try scene.run(["plan", "--allow-endpoint", "https://user:pw@proxy.internal"])
        #expect(flag.status == 64)
    }

    @Test func withoutAnEndpointRequestsGoOnlyToTheShop() throws {
        // The config cannot name the host in `shop:` either: it must be NAME.myshopify.com.
        var scene = try Scene()
        defer { scene.remove() }
        let collector = try RecordingServer()
        defer { collector.stop() }
        try scene.config(
            Self.shopifyConfig(endpoint: nil, credentials: "env:ACME_SHOPIFY_TOKEN")
                .replacingOccurrences(of: "shop: acme.myshopify.com", with: "shop: \"127.0.0.1:\(collector.port)#.myshopify.com\""))
        let result = try scene.run(["plan"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("`shop` must be the store's NAME.myshopify.com domain"), "\(result.stderr)")
        #expect(collector.requests.isEmpty)
    }

    // MARK: - Credentials

    @Test func anEnvironmentVariableTheOperatorDidNotDeclareIsNeverRead() throws {
        var scene = try Scene()
        defer { scene.remove() }
        let collector = try RecordingServer()
        defer { collector.stop() }
        try scene.config(Self.shopifyConfig(endpoint: collector.url, credentials: "env:AWS_SECRET_ACCESS_KEY"))
        for command in [["plan"], ["apply", "--auto-approve"], ["sync", "--once"]] {
            let result = try scene.run(command + ["--allow-endpoint", collector.url])
            #expect(result.status == 1)
            #expect(
                result.stderr.contains("store 'acme': `credentials: env:AWS_SECRET_ACCESS_KEY` names an environment variable the operator has not declared"),
                "\(result.stderr)")
            #expect(result.stderr.contains("STOCKYARD_CREDENTIAL_ENV=AWS_SECRET_ACCESS_KEY"))
        }
        #expect(collector.requests.isEmpty)
        #expect(!scene.everything().contains { $0.contains(scene.secret) })
        // Declared by the operator, it is used.
        _ = try scene.run(["plan", "--allow-endpoint", collector.url], environment: ["STOCKYARD_CREDENTIAL_ENV": "AWS_SECRET_ACCESS_KEY"])
        #expect(collector.receivedText.contains(scene.secret))
    }

    @Test(arguments: ["file:../outside/aws.key", "file:ABSOLUTE", "file:secrets/link.key", "file:secrets/../../outside/aws.key"])
    func aCredentialsFileOutsideTheRepositoryIsNeverRead(reference: String) throws {
        var scene = try Scene()
        defer { scene.remove() }
        let collector = try RecordingServer()
        defer { collector.stop() }
        try FileManager.default.createDirectory(at: scene.repo.appendingPathComponent("secrets"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: scene.repo.appendingPathComponent("secrets/link.key").path, withDestinationPath: scene.outside.appendingPathComponent("aws.key").path)
        let credentials = reference.replacingOccurrences(of: "ABSOLUTE", with: scene.outside.appendingPathComponent("aws.key").path)
        try scene.config(Self.shopifyConfig(endpoint: collector.url, credentials: credentials))
        let result = try scene.run(["plan", "--allow-endpoint", collector.url])
        #expect(result.status == 1)
        #expect(result.stderr.contains("store 'acme': `credentials: \(credentials)` is outside the config's folder"), "\(result.stderr)")
        #expect(result.stderr.contains("--credentials-dir DIR"))
        #expect(collector.requests.isEmpty)
        #expect(!scene.everything().contains { $0.contains(scene.secret) })
        // With the folder allowed, the file is read and its token sent to the (allowed) endpoint.
        _ = try scene.run(["plan", "--allow-endpoint", collector.url, "--credentials-dir", scene.outside.path])
        #expect(collector.receivedText.contains(scene.secret))
    }

    // MARK: - File stores

    static let fileStoreConfig = """
        version: 1
        lint: { ignore: [unmanaged-location, own-on-store-master] }
        warehouses:
          w1: { name: W1, kind: own }
        stores:
          web:
            platform: file
            path: PATH
            locations:
              Main: { warehouse: w1, master: stockyard }

        """

    static let storeFile = """
        {"locations": [{"id": "loc-main", "name": "Main", "active": true}], "quantities": {"loc-main": {"SKU-1": 7}}}
        """

    @Test(arguments: ["../outside/store.json", "ABSOLUTE", "stores/link.json"])
    func aFileStoreOutsideTheRepositoryIsNeitherReadNorWritten(path: String) throws {
        var scene = try Scene()
        defer { scene.remove() }
        let target = scene.outside.appendingPathComponent("store.json")
        try Self.storeFile.write(to: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: scene.repo.appendingPathComponent("stores/link.json").path, withDestinationPath: target.path)
        let written = path.replacingOccurrences(of: "ABSOLUTE", with: target.path)
        try scene.config(Self.fileStoreConfig.replacingOccurrences(of: "PATH", with: written))
        let before = try Data(contentsOf: target)
        for command in [["plan"], ["apply", "--auto-approve"], ["sync", "--once"]] {
            let result = try scene.run(command)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("store 'web': `path: \(written)` is outside the config's folder"), "\(result.stderr)")
            #expect(result.stderr.contains("--allow-path DIR"))
        }
        #expect(try Data(contentsOf: target) == before)
        #expect(!FileManager.default.fileExists(atPath: scene.repo.appendingPathComponent(".stockyard").path))
        // Allowed, apply reads it (and would write it).
        let allowed = try scene.run(["apply", "--auto-approve", "--allow-path", scene.outside.path])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    // MARK: - Files Stockyard creates

    @Test func aPlanFileIsPrivateEvenWhenItReplacesAnOpenOne() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let planURL = dir.appendingPathComponent("plan.json")
        try "old".write(to: planURL, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: planURL.path)
        let result = try CLIRunner.run(["plan", "--out", "plan.json"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: planURL.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let fresh = try CLIRunner.run(["plan", "--out", "new.json"], in: dir)
        #expect(fresh.status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("new.json").path)[.posixPermissions] as? Int == 0o600)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    @Test func initAndImportKeepTheStateOutOfGit() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ignore = dir.appendingPathComponent(".gitignore")
        #expect(!FileManager.default.fileExists(atPath: ignore.path))
        let initialised = try CLIRunner.run(["init", "--store", "web", "--platform", "file", "--path", "stores/web.json", "--output", "first.yaml"], in: dir)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        #expect(try String(contentsOf: ignore, encoding: .utf8).components(separatedBy: "\n").filter { $0 == ".stockyard/" }.count == 1)
        #expect(initialised.stderr.contains("Added `.stockyard/` to"))
        // What init writes is meant for git: readable, and writable by its owner only.
        for file in ["first.yaml", ".gitignore"] {
            let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(file).path)[.posixPermissions] as? Int ?? 0o777
            #expect(mode & 0o022 == 0, "\(file) is \(String(mode, radix: 8))")
        }
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        let imported = try CLIRunner.run(["import", "--output", "imported.yaml"], in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(!imported.stderr.contains("Added"))
        #expect(try String(contentsOf: ignore, encoding: .utf8).components(separatedBy: "\n").filter { $0 == ".stockyard/" }.count == 1, "never twice")
    }

    @Test func theIgnoreLineGoesToTheWorkTreeRootAndKeepsWhatIsThere() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-git-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLIRunner.repository.appendingPathComponent("examples/demo"), to: root.appendingPathComponent("ops"))
        try "node_modules/\n*.log".write(to: root.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(
            ["init", "--store", "web", "--platform", "file", "--path", "stores/web.json", "--output", "first.yaml"], in: root.appendingPathComponent("ops"))
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOf: root.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(text.hasPrefix("node_modules/\n*.log\n"), "\(text)")
        #expect(text.hasSuffix("\n.stockyard/\n"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("ops/.gitignore").path))
    }
}
