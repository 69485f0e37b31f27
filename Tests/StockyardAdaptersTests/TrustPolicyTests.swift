import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

/// What a config may make the adapters reach, and that nothing is read or sent beyond it.
@Suite struct TrustPolicyTests {
    /// A scratch config folder with a `secrets/` folder inside and a folder beside it, outside.
    struct Folders {
        var root: URL
        var config: URL { root.appendingPathComponent("repo") }
        var outside: URL { root.appendingPathComponent("outside") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-trust-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("repo/secrets"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("outside"), withIntermediateDirectories: true)
        }

        func write(_ text: String, _ path: String) throws {
            try text.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }

        func link(_ path: String, to target: String) throws {
            try FileManager.default.createSymbolicLink(
                atPath: root.appendingPathComponent(path).path, withDestinationPath: root.appendingPathComponent(target).path)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    func violation(_ body: () throws -> Void) -> TrustPolicy.Violation? {
        do {
            try body()
            return nil
        } catch {
            return error as? TrustPolicy.Violation
        }
    }

    // MARK: - Endpoints

    @Test func requestsGoToTheShopUnlessTheOperatorAllowsAnEndpoint() throws {
        let strict = TrustPolicy()
        #expect(try strict.shopifyBase(store: "acme", shop: "acme.myshopify.com", endpoint: nil) == "https://acme.myshopify.com")
        let refused = violation { _ = try strict.shopifyBase(store: "acme", shop: "acme.myshopify.com", endpoint: "https://collector.example/") }
        #expect(
            refused?.description
                == "store 'acme': `endpoint: https://collector.example/` is not allowed: a store's requests go to https://acme.myshopify.com unless the operator allows another endpoint outside the config, with `--allow-endpoint https://collector.example` or STOCKYARD_ALLOWED_ENDPOINTS=https://collector.example; nothing was sent"
        )
        let allowed = TrustPolicy(allowedEndpoints: ["HTTPS://Collector.Example"])
        #expect(try allowed.shopifyBase(store: "acme", shop: "acme.myshopify.com", endpoint: "https://collector.example/") == "https://collector.example")
        // Another port, path or scheme is another endpoint.
        for other in ["https://collector.example:8443", "https://collector.example/x", "http://collector.example", "https://user@collector.example"] {
            #expect(violation { _ = try allowed.shopifyBase(store: "acme", shop: "acme.myshopify.com", endpoint: other) } != nil, "\(other)")
        }
    }

    @Test(arguments: [
        "collector.example", "acme.myshopify.com.collector.example", "x@collector.example#.myshopify.com", "a/b.myshopify.com",
        "collector.example:443.myshopify.com", "-x.myshopify.com", ".myshopify.com", "ACME.myshopify.com", "a.b.myshopify.com",
    ])
    func aShopThatIsNotAMyshopifyNameIsRefused(shop: String) {
        #expect(violation { _ = try TrustPolicy().shopifyBase(store: "acme", shop: shop, endpoint: nil) } != nil)
    }

    @Test func operatorEnvironmentAddsEndpointsAndVariables() throws {
        let policy = TrustPolicy.operatorChoice(
            allowEndpoints: ["http://127.0.0.1:1"], credentialDirectories: [], storeDirectories: [],
            environment: ["STOCKYARD_ALLOWED_ENDPOINTS": " http://127.0.0.1:2/ , https://proxy.internal", "STOCKYARD_CREDENTIAL_ENV": "CI_TOKEN,OTHER"])
        #expect(policy.allowedEndpoints == ["http://127.0.0.1:1", "http://127.0.0.1:2", "https://proxy.internal"])
        #expect(policy.credentialVariables == ["CI_TOKEN", "OTHER"])
    }

    /// The collector is a real listener on loopback: a refused endpoint gets no connection at all,
    /// and the endpoint is checked before the credential (a missing credentials file is not even looked for).
    @Test func aRefusedEndpointReceivesNothingAndNoCredentialIsRead() async throws {
        let collector = try RecordingServer()
        defer { collector.stop() }
        let secret = makeToken()
        let store = ShopifyStoreAdapter(
            settings: ShopifyStoreSettings(
                storeKey: "acme", shop: "acme.myshopify.com", credentials: .environment("ACME_SHOPIFY_TOKEN"), endpoint: collector.url,
                environment: ["ACME_SHOPIFY_TOKEN": secret]))
        let error = await thrownError { try await store.locations() }
        let message = (error as? ShopifyError)?.description ?? ""
        #expect(message.contains("`endpoint: \(collector.url)` is not allowed"), "\(message)")
        #expect(message.contains("--allow-endpoint \(collector.url)"))
        #expect(!message.contains(secret))
        let missingFile = ShopifyStoreAdapter(
            settings: ShopifyStoreSettings(
                storeKey: "acme", shop: "acme.myshopify.com", credentials: .file("no-such.token"), endpoint: collector.url))
        let first = await thrownError { try await missingFile.locations() }
        #expect((first as? ShopifyError)?.description.contains("is not allowed") == true, "\(String(describing: first))")
        // Allowed, the same adapter does reach it: the collector is not deaf.
        let allowed = ShopifyStoreAdapter(
            settings: ShopifyStoreSettings(
                storeKey: "acme", shop: "acme.myshopify.com", credentials: .environment("ACME_SHOPIFY_TOKEN"), endpoint: collector.url,
                trust: TrustPolicy(allowedEndpoints: [collector.url]), retry: fastRetries, environment: ["ACME_SHOPIFY_TOKEN": secret]))
        _ = await thrownError { try await allowed.locations() }
        #expect(collector.requests.count >= 1)
        #expect(collector.requests.first.map { String(decoding: $0, as: UTF8.self).contains(secret) } == true)
        let before = collector.requests.count
        _ = await thrownError { try await store.locations() }
        #expect(collector.requests.count == before)
    }

    // MARK: - Credentials

    @Test func anEnvironmentVariableMustBeDeclaredByTheOperator() throws {
        let strict = TrustPolicy()
        #expect(violation { try strict.checkCredentialVariable("ACME_SHOPIFY_TOKEN", store: "acme") } == nil)
        #expect(violation { try strict.checkCredentialVariable("SHOPIFY", store: "acme") } == nil)
        let refused = violation { try strict.checkCredentialVariable("AWS_SECRET_ACCESS_KEY", store: "acme") }
        #expect(
            refused?.description
                == "store 'acme': `credentials: env:AWS_SECRET_ACCESS_KEY` names an environment variable the operator has not declared as holding a store token (names containing SHOPIFY are allowed); to allow it, set STOCKYARD_CREDENTIAL_ENV=AWS_SECRET_ACCESS_KEY (comma-separated) outside the config; nothing was read"
        )
        #expect(
            violation { try TrustPolicy(credentialVariables: ["AWS_SECRET_ACCESS_KEY"]).checkCredentialVariable("AWS_SECRET_ACCESS_KEY", store: "acme") } == nil
        )
    }

    @Test func aRefusedVariableIsNeverRead() throws {
        let secret = makeToken()
        let settings = ShopifyStoreSettings(
            storeKey: "acme", shop: "acme.myshopify.com", credentials: .environment("AWS_SECRET_ACCESS_KEY"),
            environment: ["AWS_SECRET_ACCESS_KEY": secret])
        #expect(throws: ShopifyError.self) { try ShopifyCredentials.resolve(settings) }
        do {
            _ = try ShopifyCredentials.resolve(settings)
        } catch {
            #expect(error.kind == .credentials)
            #expect(!error.description.contains(secret))
            #expect(error.description.contains("STOCKYARD_CREDENTIAL_ENV=AWS_SECRET_ACCESS_KEY"))
        }
    }

    @Test func aCredentialsFileStaysInsideTheConfigFolderOrAnAllowedOne() throws {
        let f = try Folders()
        defer { f.remove() }
        let secret = makeToken()
        try f.write(secret, "outside/aws.key")
        try f.write(makeToken(), "repo/secrets/acme.token")
        try f.link("repo/secrets/escape.token", to: "outside/aws.key")
        try f.link("repo/secrets/alias.token", to: "repo/secrets/acme.token")
        try f.link("repo/linked-dir", to: "outside")
        let strict = TrustPolicy()
        #expect(violation { _ = try strict.credentialFile("secrets/acme.token", store: "acme", configDirectory: f.config) } == nil)
        #expect(violation { _ = try strict.credentialFile("secrets/alias.token", store: "acme", configDirectory: f.config) } == nil)
        for escape in [
            "../outside/aws.key", f.outside.appendingPathComponent("aws.key").path, "secrets/escape.token", "linked-dir/aws.key",
            "secrets/../../outside/aws.key", "/etc/passwd",
        ] {
            let refused = violation { _ = try strict.credentialFile(escape, store: "acme", configDirectory: f.config) }
            #expect(refused?.message.contains("is outside the config's folder") == true, "\(escape): \(String(describing: refused))")
            #expect(refused?.message.contains("--credentials-dir DIR") == true)
            #expect(refused?.description.contains(secret) == false)
        }
        let allowing = TrustPolicy(credentialDirectories: [f.outside.path])
        #expect(try allowing.credentialFile("../outside/aws.key", store: "acme", configDirectory: f.config).lastPathComponent == "aws.key")
        #expect(violation { _ = try allowing.credentialFile("secrets/escape.token", store: "acme", configDirectory: f.config) } == nil)
    }

    @Test func theTokenIsReadFromTheRealPathThatWasChecked() throws {
        let f = try Folders()
        defer { f.remove() }
        let token = makeToken()
        try f.write(token, "repo/secrets/acme.token")
        try f.link("repo/current.token", to: "repo/secrets/acme.token")
        let settings = ShopifyStoreSettings(storeKey: "acme", shop: "acme.myshopify.com", credentials: .file("current.token"), baseDirectory: f.config)
        #expect(try ShopifyCredentials.resolve(settings).value == token)
        let outside = makeToken()
        try f.write(outside, "outside/aws.key")
        try f.link("repo/leak.token", to: "outside/aws.key")
        let leaking = ShopifyStoreSettings(storeKey: "acme", shop: "acme.myshopify.com", credentials: .file("leak.token"), baseDirectory: f.config)
        do {
            _ = try ShopifyCredentials.resolve(leaking)
            Issue.record("a credentials file outside the config's folder was read")
        } catch {
            #expect(error.description.contains("is outside the config's folder"))
            #expect(!error.description.contains(outside))
        }
    }

    // MARK: - File stores

    /// A config folder with a store file, and a way out of it by a file symlink and a folder symlink.
    static func storeFolders() throws -> Folders {
        let f = try Folders()
        try f.write("{}", "outside/store.json")
        try f.write("{}", "repo/store.json")
        try f.link("repo/escape.json", to: "outside/store.json")
        try f.link("repo/linked-dir", to: "outside")
        return f
    }

    @Test func aFileStoreStaysInsideTheConfigFolderOrAnAllowedOne() throws {
        let f = try Self.storeFolders()
        defer { f.remove() }
        let strict = TrustPolicy()
        #expect(violation { _ = try strict.storeFile("store.json", store: "web", configDirectory: f.config) } == nil)
        // One that does not exist yet is placed by its folder.
        #expect(violation { _ = try strict.storeFile("stores/new/web.json", store: "web", configDirectory: f.config) } == nil)
        for escape in [
            "../outside/store.json", f.outside.appendingPathComponent("store.json").path, "escape.json", "linked-dir/store.json", "linked-dir/new/x.json",
            "/etc/passwd",
        ] {
            let refused = violation { _ = try strict.storeFile(escape, store: "web", configDirectory: f.config) }
            #expect(refused?.message.contains("--allow-path DIR") == true, "\(escape): \(String(describing: refused))")
        }
        let allowing = TrustPolicy(storeDirectories: [f.outside.path])
        #expect(violation { _ = try allowing.storeFile("escape.json", store: "web", configDirectory: f.config) } == nil)
        #expect(try allowing.storeFile("linked-dir/store.json", store: "web", configDirectory: f.config).path.hasSuffix("/outside/store.json"))
    }

    /// The folders resolved once for many stores decide every path as resolving them per store does.
    @Test func storeFoldersResolvedOnceDecideAsBefore() throws {
        let f = try Self.storeFolders()
        defer { f.remove() }
        for policy in [TrustPolicy(), TrustPolicy(storeDirectories: [f.outside.path])] {
            let roots = policy.storeRoots(configDirectory: f.config)
            for path in [
                "store.json", "stores/new/web.json", "../outside/store.json", "escape.json", "linked-dir/store.json", "linked-dir/new/x.json", "/etc/passwd",
            ] {
                let once = Result { () throws(TrustPolicy.Violation) in try policy.storeFile(path, store: "web", within: roots) }
                let each = Result { () throws(TrustPolicy.Violation) in try policy.storeFile(path, store: "web", configDirectory: f.config) }
                #expect(once == each, "\(path)")
            }
        }
    }

    /// One resolver over many paths (each folder's real path found once) decides every path as
    /// a fresh one does, symlinked files and folders, missing folders and `..` included.
    @Test func aResolverReusedOverManyPathsDecidesAsAFreshOne() throws {
        let f = try Self.storeFolders()
        defer { f.remove() }
        let paths = [
            "store.json", "escape.json", "store.json", "linked-dir/store.json", "linked-dir/new/x.json", "stores/new/web.json",
            "stores/new/other.json", "./store.json", "sub/../escape.json", "../repo/store.json", "../outside/store.json", "//etc/passwd",
            "/etc/passwd", f.config.appendingPathComponent("escape.json").path,
        ]
        for policy in [TrustPolicy(), TrustPolicy(storeDirectories: [f.outside.path])] {
            let roots = policy.storeRoots(configDirectory: f.config)
            var shared = TrustPolicy.StoreFileResolver(policy: policy, roots: roots)
            for path in paths + paths.reversed() {
                let reused = Result { () throws(TrustPolicy.Violation) in try shared.realPath(of: path, store: "web") }
                var fresh = TrustPolicy.StoreFileResolver(policy: policy, roots: roots)
                let once = Result { () throws(TrustPolicy.Violation) in try fresh.realPath(of: path, store: "web") }
                #expect(reused == once, "\(path)")
            }
            if !policy.storeDirectories.isEmpty {
                var resolver = TrustPolicy.StoreFileResolver(policy: policy, roots: roots)
                #expect(try resolver.realPath(of: "escape.json", store: "web").hasSuffix("/outside/store.json"))
            }
        }
    }

    /// `.` and `..` are taken out of a written path as `URL.standardizedFileURL` takes them out.
    @Test func dotSegmentsGoAsAStandardizedURLsDo() {
        for path in [
            "/a/b/c.json", "/a/./b/../c.json", "/a//b///c.json", "/../a.json", "/a/b/..", "/a/b/.", "/", "/a/../../b/c.json", "/a b/ü.json",
            "/a/b/", "//", "/.", "/..", "/./", "/a/.b/c", "/a/..b/c", "/a/b../c", "/a/.../b", "/a/b/.json", "/.a", "/a/b/c/..", "/a/b/c/.",
        ] {
            #expect(TrustPolicy.withoutDotSegments(path) == URL(fileURLWithPath: path).standardizedFileURL.path, "\(path)")
        }
    }
}
