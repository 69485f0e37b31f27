import Foundation

/// Reads a saved JSON plan back, for `show` and `apply`.
public enum PlanDocument {
    public struct DecodeError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    struct Document: Decodable {
        var formatVersion: String
        var toolVersion: String
        var configFile: String
        var configSHA256: String
        var stateLineage: String?
        var changes: [Change]
        var diagnostics: [DiagnosticDocument]
        /// Since format 1.1.
        var neighbourhood: NeighbourhoodDocument?

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version", toolVersion = "tool_version", configFile = "config_file"
            case configSHA256 = "config_sha256", stateLineage = "state_lineage", changes, diagnostics, neighbourhood
        }
    }

    struct NeighbourhoodDocument: Decodable {
        var warehouses: [WarehouseRecord]
        var connections: [ConnectionRecord]
    }

    struct DiagnosticDocument: Decodable {
        var severity: Severity
        var rule: String
        var message: String
        var file: String?
        var line: Int?
        var column: Int?
    }

    public static func decode(_ data: Data, file: String) throws(DecodeError) -> Plan {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw DecodeError(message: "\(file) is not a Stockyard plan file (write one with `stockyard plan --out FILE`)")
        }
        guard document.formatVersion.split(separator: ".").first == "1" else {
            throw DecodeError(message: "\(file) has plan format \(document.formatVersion); this Stockyard reads format 1.x")
        }
        let diagnostics = document.diagnostics.compactMap { d -> Diagnostic? in
            guard let rule = RuleID(rawValue: d.rule) else { return nil }
            let at = d.file.flatMap { f in d.line.map { SourceLocation(file: f, line: $0, column: d.column ?? 1) } }
            return Diagnostic(d.severity, rule, d.message, at: at)
        }
        return Plan(
            toolVersion: document.toolVersion, configFile: document.configFile, configSHA256: document.configSHA256,
            stateLineage: document.stateLineage, changes: document.changes, diagnostics: diagnostics,
            neighbourhood: PlanNeighbourhood(
                warehouses: document.neighbourhood?.warehouses ?? [], connections: document.neighbourhood?.connections ?? []))
    }
}
