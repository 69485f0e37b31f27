import StockyardEngine
import YAMLKit

/// Walks the YAML document once, building the typed config and collecting every problem.
/// Each mapping's pairs are visited once with a switch on the key: a lookup per field was measured
/// four times slower on large files. Keys are matched as bytes against the field names, and a
/// scalar becomes a `String` only when the config keeps it or a message quotes it.
struct ConfigDecoder {
    typealias Node = YAMLDocument.Node

    let file: String
    /// `file`, numbered once for every location made here.
    let fileName: SourceLocation.FileName
    let document: YAMLDocument
    var diagnostics: [Diagnostic] = []
    var brokenWarehouses = Set<String>()
    /// The warehouses named by connections left out of the config for errors (their own or their
    /// store's): they count as linked. Those of the connections kept are read from the config.
    var warehousesOfDroppedConnections = Set<String>()
    /// `warehouses:` is missing or not a mapping: references to warehouses cannot be checked.
    var warehousesUnreadable = false

    init(file: String, document: YAMLDocument) {
        self.file = file
        fileName = SourceLocation.FileName(file)
        self.document = document
    }

    func at(_ node: Node) -> SourceLocation {
        SourceLocation(file: fileName, line: node.mark.line, column: node.mark.column)
    }

    mutating func error(_ rule: RuleID, _ message: String, _ node: Node) {
        diagnostics.append(.error(rule, message, at: at(node)))
    }

    // MARK: - Root

    mutating func decodeRoot(sha256: String) -> DesiredConfig? {
        let root = document.root
        guard let pairs = mapping(root, what: "the config file") else { return nil }
        var config = DesiredConfig(file: file, sha256: sha256)
        var seen: [String] = []
        var warehousesNode: Node?
        var storesNode: Node?
        for pair in pairs {
            guard let key = key(pair.key, in: "the config file", allowed: Keys.root) else { continue }
            seen.append(key)
            switch key {
            case "version": decodeVersion(pair.value)
            case "defaults": decodeDefaults(pair.value, into: &config)
            case "warehouses": warehousesNode = pair.value
            case "stores": storesNode = pair.value
            case "safety": decodeSafety(pair.value, into: &config)
            case "lint": decodeLint(pair.value, into: &config)
            default: break
            }
        }
        requireKeys(["version", "warehouses", "stores"], seen: seen, in: root, what: "the config file")
        // Stores read `defaults`, which may be written after them: decode them last.
        if let node = warehousesNode { config.warehouses = decodeWarehouses(node) }
        if warehousesNode == nil || warehousesNode?.kind != .mapping { warehousesUnreadable = true }
        if let node = storesNode { config.stores = decodeStores(node, defaultMaster: config.defaultMaster) }
        return config
    }

    mutating func decodeVersion(_ node: Node) {
        guard node.isScalar else {
            error(.wrongType, "`version` must be the number 1, not \(node.kindDescription)", node)
            return
        }
        let value = document.string(node)
        if node.style.isQuoted {
            error(.wrongType, "`version` must be the number 1, not the string \"\(value)\"; write `version: 1` without quotes", node)
            return
        }
        guard let number = Int(value) else {
            if isNull(node) {
                error(.emptyValue, "`version` is empty; write `version: 1`", node)
            } else {
                error(.wrongType, "`version` must be the number 1, not '\(value)'", node)
            }
            return
        }
        if number != 1 {
            error(.unsupportedVersion, "config version \(number) is not supported by Stockyard \(StockyardVersion.current), which reads version 1", node)
        }
    }

    mutating func decodeDefaults(_ node: Node, into config: inout DesiredConfig) {
        guard let pairs = mapping(node, what: "`defaults`") else { return }
        for pair in pairs {
            guard let key = key(pair.key, in: "`defaults`", allowed: Keys.defaults) else { continue }
            if key == "master", let master: Master = enumValue(pair.value, field: "master") {
                config.defaultMaster = master
            }
        }
    }

    mutating func decodeSafety(_ node: Node, into config: inout DesiredConfig) {
        guard let pairs = mapping(node, what: "`safety`") else { return }
        for pair in pairs {
            guard let key = key(pair.key, in: "`safety`", allowed: Keys.safety) else { continue }
            switch key {
            case "max_update_percent":
                if let v = int(pair.value, field: key, range: 0...100) { config.safety.maxUpdatePercent = v }
            case "max_delete_percent":
                if let v = int(pair.value, field: key, range: 0...100) { config.safety.maxDeletePercent = v }
            case "min_existing":
                if let v = int(pair.value, field: key, range: 0...Int(Int32.max)) { config.safety.minExisting = v }
            default: break
            }
        }
    }

    mutating func decodeLint(_ node: Node, into config: inout DesiredConfig) {
        guard let pairs = mapping(node, what: "`lint`") else { return }
        for pair in pairs {
            guard key(pair.key, in: "`lint`", allowed: Keys.lint) != nil else { continue }
            guard let items = sequence(pair.value, what: "`lint.ignore`") else { continue }
            let ids = RuleID.lintable.map(\.rawValue)
            for item in items {
                guard let name = string(item, field: "lint.ignore entry") else { continue }
                if let rule = RuleID(rawValue: name), rule.isLintable {
                    config.lintIgnore.insert(rule)
                } else {
                    error(
                        .badValue,
                        "'\(name)' is not a warning rule that can be ignored" + Suggestions.didYouMean(name, in: ids)
                            + " (rules: \(ids.joined(separator: ", ")))", item)
                }
            }
        }
    }
}
