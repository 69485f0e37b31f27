import Foundation
import StockyardAdapters
import StockyardEngine
import Testing

@testable import StockyardCLI

/// The plan's check of its stores' paths takes the real paths the read-ahead already resolved under
/// the same policy, for the same `path:` as written, and resolves every other path itself.
@Suite struct PreflightResolvedPathsTests {
    static func store(_ key: String, path: String) -> StoreSpec {
        StoreSpec(key: key, platform: .file, path: path, location: SourceLocation(file: "stockyard.yaml", line: 3, column: 3))
    }

    @Test func aPathResolvedAheadIsTakenAndOthersAreResolvedAndChecked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("stores"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let trust = TrustPolicy()
        let resolvedFolder = try #require(realpath(folder.path, nil))
        let real = String(cString: resolvedFolder)
        free(resolvedFolder)
        // Resolved ahead: taken as given (a resolution here would give the path under `stores/`).
        let found = try AdapterFactory.preflight(
            [Self.store("web", path: "stores/web.json"), Self.store("pos", path: "stores/pos.json")], baseURL: folder, trust: trust,
            resolved: ["stores/web.json": "/resolved/ahead/web.json"])
        #expect(found == ["web": "/resolved/ahead/web.json", "pos": real + "/stores/pos.json"])
        // A path not resolved ahead is checked as always: outside the config's folder, refused.
        #expect(throws: CLIFailure.self) {
            try AdapterFactory.preflight(
                [Self.store("web", path: "../outside.json")], baseURL: folder, trust: trust, resolved: ["stores/web.json": "/resolved/ahead/web.json"])
        }
    }
}
