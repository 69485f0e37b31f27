/// The JSON plan: the saved plan file, and the data pipelines read. `docs/plan-format.md` documents
/// every field; minor format versions only add fields.
public enum JSONPlanRenderer {
    public static func render(_ plan: Plan) -> String { String(decoding: renderedBytes(plan), as: UTF8.self) }

    /// The bytes of `render`, i.e. of `document(plan).rendered()`, written change by change: the
    /// whole document as `JSONValue`s was several times the size of its text at 100,000 connections.
    public static func renderedBytes(_ plan: Plan) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(plan, into: &out) { _ in }
        return out
    }

    /// The bytes of `renderedBytes`, handed to `sink` in pieces of about `chunk` bytes as they are
    /// written: the whole document of a plan with 200 SKUs a location is over 100 MB, and held
    /// whole (grown by doubling) it set the plan's peak memory.
    public static func write(_ plan: Plan, chunk: Int = 1 << 16, to sink: ([UInt8]) -> Void) {
        var out: [UInt8] = []
        out.reserveCapacity(chunk + 4096)
        write(plan, into: &out) { out in
            guard out.count >= chunk else { return }
            sink(out)
            out.removeAll(keepingCapacity: true)
        }
        if !out.isEmpty { sink(out) }
    }

    /// Writes the document into `out`, calling `flush` after each change, diagnostic and record.
    static func write(_ plan: Plan, into out: inout [UInt8], flush: (inout [UInt8]) -> Void) {
        // The members below are stored closures; they run before this function returns.
        withoutActuallyEscaping(flush) { flush in writeDocument(plan, into: &out, flush: flush) }
    }

    private static func writeDocument(_ plan: Plan, into out: inout [UInt8], flush: @escaping (inout [UInt8]) -> Void) {
        let (summary, highestRisk, id) = plan.heading
        JSONValue.writeObject(
            [
                ("format_version", .value(.string(Plan.formatVersion))),
                ("tool_version", .value(.string(plan.toolVersion))),
                ("plan_id", .value(.string(id))),
                ("config_file", .value(.string(plan.configFile))),
                ("config_sha256", .value(.string(plan.configSHA256))),
                ("state_lineage", .value(.optional(plan.stateLineage))),
                ("valid", .value(.bool(!plan.hasErrors))),
                (
                    "summary",
                    .value(
                        .object([
                            ("create", .int(summary.create)), ("update", .int(summary.update)), ("delete", .int(summary.delete)),
                            ("move", .int(summary.move)), ("total", .int(summary.total)), ("highest_risk", .string(highestRisk.rawValue)),
                        ]))
                ),
                ("changes", .stream { out, indent in writeChanges(plan.changes, indent: indent, into: &out, flush: flush) }),
                ("diagnostics", .stream { out, indent in JSONValue.writeArray(plan.diagnostics, indent: indent, into: &out, flush: flush, diagnostic) }),
                (
                    "neighbourhood",
                    .stream { out, indent in
                        JSONValue.writeObject(
                            [
                                (
                                    "warehouses",
                                    .stream { out, indent in
                                        JSONValue.writeArray(plan.neighbourhood.warehouses, indent: indent, into: &out, flush: flush, window: 4096) {
                                            writeRecord(.warehouse($0), indent: $1, into: &$2)
                                        }
                                    }
                                ),
                                (
                                    "connections",
                                    .stream { out, indent in
                                        JSONValue.writeArray(plan.neighbourhood.connections, indent: indent, into: &out, flush: flush, window: 4096) {
                                            writeRecord(.connection($0), indent: $1, into: &$2)
                                        }
                                    }
                                ),
                            ], indent: indent, into: &out)
                    }
                ),
            ], indent: 0, into: &out)
        out.append(0x0A)
    }

    public static func document(_ plan: Plan) -> JSONValue {
        let summary = plan.summary
        return .object([
            ("format_version", .string(Plan.formatVersion)),
            ("tool_version", .string(plan.toolVersion)),
            ("plan_id", .string(plan.id)),
            ("config_file", .string(plan.configFile)),
            ("config_sha256", .string(plan.configSHA256)),
            ("state_lineage", .optional(plan.stateLineage)),
            ("valid", .bool(!plan.hasErrors)),
            (
                "summary",
                .object([
                    ("create", .int(summary.create)), ("update", .int(summary.update)), ("delete", .int(summary.delete)),
                    ("move", .int(summary.move)), ("total", .int(summary.total)), ("highest_risk", .string(plan.highestRisk.rawValue)),
                ])
            ),
            ("changes", .array(plan.changes.map(change))),
            ("diagnostics", .array(plan.diagnostics.map(diagnostic))),
            (
                "neighbourhood",
                .object([
                    ("warehouses", .array(plan.neighbourhood.warehouses.map { record(.warehouse($0)) })),
                    ("connections", .array(plan.neighbourhood.connections.map { record(.connection($0)) })),
                ])
            ),
        ])
    }

    static func change(_ c: Change) -> JSONValue {
        .object(changeMembers(c) + [("impact", c.impact.map(impact) ?? .null)])
    }

    /// A change's members but its last, `impact`.
    static func changeMembers(_ c: Change) -> [(String, JSONValue)] {
        [
            ("address", .string(c.address)), ("kind", .string(c.kind.rawValue)), ("action", .string(c.action.rawValue)),
            ("reason", .string(c.reason.rawValue)), ("risk", .string(c.risk.rawValue)),
            ("store", .optional(c.store)), ("location", .optional(c.location)), ("location_id", .optional(c.locationID)),
            ("warehouse", .optional(c.warehouse)),
            ("before", c.before.map(record) ?? .null), ("after", c.after.map(record) ?? .null),
            ("fingerprint", .optional(c.fingerprint)),
            ("notes", .array(c.notes.map(JSONValue.string))),
            ("depends_on", .array(c.dependsOn.map(JSONValue.string))),
        ]
    }

    static func impact(_ i: InventoryImpact) -> JSONValue {
        func sku(_ c: InventoryImpact.SKUChange) -> JSONValue {
            .object([("sku", .string(c.sku)), ("from", .int(c.from)), ("to", .int(c.to))])
        }
        return .object([
            ("overwritten", .string(i.overwritten.rawValue)),
            ("skus_changed", .int(i.changes.count)),
            ("units_up", .int(i.unitsUp)),
            ("units_down", .int(i.unitsDown)),
            ("only_in_warehouse", .int(i.onlyInWarehouse)),
            ("only_at_location", .int(i.onlyAtLocation)),
            ("largest", .array(i.largest.map(sku))),
            ("changes", .array(i.changes.map(sku))),
        ])
    }

    public static func record(_ r: ObjectRecord) -> JSONValue {
        switch r {
        case .store(let s):
            return .object([("key", .string(s.key)), ("platform", .string(s.platform.rawValue)), ("target", .string(s.target))])
        case .warehouse(let w):
            return .object([
                ("key", .string(w.key)), ("name", .string(w.name)), ("code", .optional(w.code)), ("kind", .string(w.kind.rawValue)),
                ("protect", .bool(w.protect)),
            ])
        case .connection(let c):
            return .object([
                ("store", .string(c.store)), ("location_id", .string(c.locationID)), ("location_name", .string(c.locationName)),
                ("warehouse", .string(c.warehouse)), ("master", .string(c.master.rawValue)), ("protect", .bool(c.protect)),
            ])
        }
    }

    public static func diagnostic(_ d: Diagnostic) -> JSONValue {
        .object([
            ("severity", .string(d.severity.rawValue)), ("rule", .string(d.rule.rawValue)), ("message", .string(d.message)),
            ("file", .optional(d.location?.file)), ("line", d.location.map { .int($0.line) } ?? .null),
            ("column", d.location.map { .int($0.column) } ?? .null),
        ])
    }
}
