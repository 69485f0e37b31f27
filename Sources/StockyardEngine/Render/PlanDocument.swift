import Foundation

/// Reads a saved JSON plan back, for `show` and `apply`. A plan file is untrusted input: it may
/// be truncated, damaged or edited by hand between `plan --out` and `apply`. Whatever the bytes,
/// this returns a plan or a `DecodeError` that says what is wrong, and never crashes. (That the
/// changes are what the config asks for is `PlanGuard.conformance`'s job, at apply time.)
public enum PlanDocument {
    /// The largest plan file read: 512 MiB, several times the plan of 100,000 connections.
    public static let maximumBytes = 512 << 20

    public struct DecodeError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    struct Document: Decodable {
        var formatVersion: String
        var toolVersion: String
        var planID: String
        var configFile: String
        var configSHA256: String
        var stateLineage: String?
        var changes: [Change]
        var diagnostics: [DiagnosticDocument]
        /// Since format 1.1.
        var neighbourhood: NeighbourhoodDocument?

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version"
            case toolVersion = "tool_version"
            case planID = "plan_id"
            case configFile = "config_file"
            case configSHA256 = "config_sha256"
            case stateLineage = "state_lineage"
            case changes, diagnostics, neighbourhood
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
        guard data.count <= maximumBytes else {
            throw DecodeError(
                message: "\(file) is \(data.count) bytes, more than a plan file may be (\(maximumBytes) bytes); it is not a plan `stockyard plan --out` wrote")
        }
        // Syntax (a cut-off file included), nesting and repeated keys first, with line and column:
        // the decoder would take the first of two keys, and recurses once per nesting level.
        do {
            try JSONPreflight.check(Array(data))
        } catch {
            throw DecodeError(message: "\(file):\(error.description); it is not a plan file as `stockyard plan --out` writes it")
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let error as DecodingError {
            throw DecodeError(message: "\(file) is not a Stockyard plan file: \(Self.explain(error)) (write one with `stockyard plan --out FILE`)")
        } catch {
            throw DecodeError(message: "\(file) is not a Stockyard plan file (write one with `stockyard plan --out FILE`)")
        }
        guard document.formatVersion.split(separator: ".").first == "1" else {
            throw DecodeError(message: "\(file) has plan format \(printable(document.formatVersion)); this Stockyard reads format 1.x")
        }
        let diagnostics = document.diagnostics.compactMap { d -> Diagnostic? in
            guard let rule = RuleID(rawValue: d.rule) else { return nil }
            let at = d.file.flatMap { f in d.line.map { SourceLocation(file: f, line: $0, column: d.column ?? 1) } }
            return Diagnostic(d.severity, rule, d.message, at: at)
        }
        let plan = Plan(
            toolVersion: document.toolVersion, configFile: document.configFile, configSHA256: document.configSHA256,
            stateLineage: document.stateLineage, changes: document.changes, diagnostics: diagnostics,
            neighbourhood: PlanNeighbourhood(
                warehouses: document.neighbourhood?.warehouses ?? [], connections: document.neighbourhood?.connections ?? []))
        // The id is a hash of the config, the state and every change's address, action and
        // fingerprint: an edit to any of them that did not also forge the id shows here.
        guard plan.id == document.planID else {
            throw DecodeError(
                message:
                    "\(file) was changed after `stockyard plan` wrote it: its plan_id \(printable(document.planID)) does not match its changes (\(plan.id)); make a new plan"
            )
        }
        try checkShape(plan, file: file)
        return plan
    }

    /// Text from a plan file, safe to print: control characters (a terminal escape sequence
    /// could rewrite what the reader sees) shown as `\u{…}`, and at most 200 characters.
    public static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(200) {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 200 ? out + "…" : out
    }

    /// Where in the document and what: `changes[2].action: not one of the values it may have`.
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.reduce("") { out, key in
                key.intValue.map { "\(out)[\($0)]" } ?? (out.isEmpty ? key.stringValue : "\(out).\(key.stringValue)")
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context): return "\(path(context.codingPath)) is null"
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)) is not a \(type == String.self ? "string" : "\(type)")"
        case .dataCorrupted(let context): return "\(path(context.codingPath)) has a value it may not have"
        @unknown default: return "its shape is not a plan's"
        }
    }

    /// What any plan the planner writes satisfies; a plan that does not was not written by it.
    static func checkShape(_ plan: Plan, file: String) throws(DecodeError) {
        var seen = Set<String>()
        for (index, change) in plan.changes.enumerated() {
            func refuse(_ why: String) -> DecodeError {
                DecodeError(message: "\(file): change \(index + 1) (\(printable(change.address))) \(why); it is not a plan `stockyard plan --out` wrote")
            }
            guard seen.insert(change.address).inserted else { throw refuse("appears twice") }
            guard change.address.hasPrefix(change.kind.rawValue + ".") else { throw refuse("has kind \(change.kind.rawValue), which its address does not") }
            switch change.action {
            case .create:
                guard change.before == nil, change.after != nil, change.fingerprint == nil else {
                    throw refuse("is a create with an object before it or none after")
                }
            case .update, .move: guard change.before != nil, change.after != nil else { throw refuse("is an \(change.action.rawValue) without both objects") }
            case .delete: guard change.before != nil, change.after == nil else { throw refuse("is a delete with an object after it or none before") }
            }
            if change.impact != nil {
                guard change.kind == .connection, change.after != nil else { throw refuse("moves stock but links no location") }
            }
        }
    }
}
