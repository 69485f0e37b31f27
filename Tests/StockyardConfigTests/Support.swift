import Foundation
import StockyardConfig
import StockyardEngine

/// Fixture files live beside the tests; goldens are regenerated with STOCKYARD_REGENERATE_GOLDENS=1.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let regenerate = ProcessInfo.processInfo.environment["STOCKYARD_REGENERATE_GOLDENS"] == "1"
    /// Every test runs on this day, so trial dates in fixtures never expire under them.
    static let today = Day(year: 2026, month: 6, day: 1)

    static func files(_ folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static func load(_ folder: String, _ name: String) throws -> LoadedConfig {
        let url = root.appendingPathComponent(folder).appendingPathComponent(name)
        return try ConfigLoader.load(path: url.path, displayPath: "\(folder)/\(name)")
    }

    /// Loads config text written inline in a test.
    static func parse(_ text: String) -> LoadedConfig {
        ConfigLoader.load(bytes: Array(text.utf8), file: "test.yaml")
    }

    /// One line per diagnostic, the way goldens store them.
    static func describe(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { d in
            let at = d.location.map { "\($0.line):\($0.column)" } ?? "-"
            return "\(at): \(d.severity.rawValue): \(d.message) [\(d.rule.rawValue)]"
        }.joined(separator: "\n") + "\n"
    }
}
