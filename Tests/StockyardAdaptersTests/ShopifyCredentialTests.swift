import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

@Suite struct ShopifyCredentialTests {
    /// Settings whose endpoint, and the variables `T` and `ACME_UK_TOKEN`, the operator allowed.
    func settings(_ credentials: CredentialReference, environment: [String: String] = [:], base: URL? = nil, endpoint: String? = nil) -> ShopifyStoreSettings {
        ShopifyStoreSettings(
            storeKey: "acme-uk", shop: "acme-uk.myshopify.com", credentials: credentials, endpoint: endpoint,
            trust: TrustPolicy(allowedEndpoints: endpoint.map { [$0] } ?? [], credentialVariables: ["T", "ACME_UK_TOKEN"]),
            baseDirectory: base, environment: environment)
    }

    func message(_ s: ShopifyStoreSettings) -> String {
        do {
            _ = try ShopifyCredentials.resolve(s)
            return "resolved"
        } catch {
            return error.description
        }
    }

    @Test func aMissingVariableIsNamed() {
        #expect(
            message(settings(.environment("ACME_UK_TOKEN")))
                == "acme-uk: the environment variable ACME_UK_TOKEN is not set (`credentials: env:ACME_UK_TOKEN`); set it to the store's Admin API access token"
        )
    }

    @Test func anEmptyVariableIsNamed() {
        #expect(message(settings(.environment("T"), environment: ["T": "  \n"])) == "acme-uk: the environment variable T is empty (`credentials: env:T`)")
    }

    @Test func tokensFromFilesAreTrimmedAndResolveAgainstTheConfigFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-cred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("secrets"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = makeToken()
        try "\(token)\n".write(to: dir.appendingPathComponent("secrets/uk.token"), atomically: true, encoding: .utf8)
        #expect(try ShopifyCredentials.resolve(settings(.file("secrets/uk.token"), base: dir)).value == token)
        #expect(
            message(settings(.file("secrets/missing.token"), base: dir))
                == "acme-uk: the credentials file secrets/missing.token does not exist (`credentials: file:secrets/missing.token`, relative to the config file's folder)"
        )
        try "\n".write(to: dir.appendingPathComponent("secrets/empty.token"), atomically: true, encoding: .utf8)
        #expect(message(settings(.file("secrets/empty.token"), base: dir)) == "acme-uk: the credentials file secrets/empty.token is empty")
    }

    @Test func aTokenWithSpacesIsRefusedWithoutShowingIt() {
        let text = message(settings(.environment("T"), environment: ["T": "shpat_abc def"]))
        #expect(text.contains("contains spaces, line breaks or non-ASCII characters"))
        #expect(!text.contains("shpat_abc"))
    }

    @Test func theTokenNeverPrints() {
        let token = ShopifyAccessToken(value: "shpat_secret_value")
        var dumped = ""
        dump(token, to: &dumped)
        for text in ["\(token)", String(reflecting: token), dumped, "\(Mirror(reflecting: token).children.map(\.value))"] {
            #expect(!text.contains("shpat_secret_value"), "\(text)")
        }
        #expect(token.scrub("echo shpat_secret_value back") == "echo [redacted] back")
    }

    @Test func plainHTTPIsOnlyForLoopback() throws {
        let s = settings(.environment("T"), endpoint: "http://proxy.example.com:8080/")
        #expect(throws: ShopifyError.self) { try s.graphQLURL() }
        #expect(try settings(.environment("T"), endpoint: "http://127.0.0.1:9/").graphQLURL() == "http://127.0.0.1:9/admin/api/2026-10/graphql.json")
        #expect(
            try settings(.environment("T"), endpoint: "https://proxy.example.com/shopify").graphQLURL()
                == "https://proxy.example.com/shopify/admin/api/2026-10/graphql.json")
        #expect(try settings(.environment("T")).graphQLURL() == "https://acme-uk.myshopify.com/admin/api/2026-10/graphql.json")
    }

    @Test func aMissingTokenFailsBeforeAnyRequest() async throws {
        try await ShopifyEmulator.with(token: makeToken()) { emulator in
            let store = ShopifyStoreAdapter(
                settings: ShopifyStoreSettings(
                    storeKey: "acme", shop: "acme.myshopify.com", credentials: .environment("NOT_SET_ANYWHERE_SHOPIFY"), endpoint: emulator.endpoint,
                    trust: TrustPolicy(allowedEndpoints: [emulator.endpoint]), environment: [:]))
            let error = await thrownError { try await store.locations() }
            #expect((error as? ShopifyError)?.kind == .credentials)
            #expect(await emulator.shop.statistics.totalRequests == 0)
        }
    }
}
