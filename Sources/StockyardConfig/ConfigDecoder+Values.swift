import StockyardEngine
import YAMLKit

/// The allowed keys of each mapping, for unknown-key errors and their suggestions.
enum Keys {
    static let root = FieldNames(["version", "defaults", "warehouses", "stores", "safety", "lint"])
    static let defaults = FieldNames(["master"])
    static let safety = FieldNames(["max_update_percent", "max_delete_percent", "min_existing"])
    static let lint = FieldNames(["ignore"])
    static let warehouse = FieldNames(["name", "code", "kind", "formerly", "protect"])
    static let store = FieldNames(["platform", "shop", "credentials", "api_version", "endpoint", "path", "unmanaged_locations", "locations"])
    static let shopifyOnly: Set<String> = ["shop", "credentials", "api_version", "endpoint"]
    static let fileOnly: Set<String> = ["path"]
    static let connection = FieldNames(["warehouse", "master", "id", "protect", "testing_until"])
}

// MARK: - Typed scalar readers

extension ConfigDecoder {
    /// A plain scalar YAML would read as null: empty, `~` or `null`.
    func isNull(_ node: Node) -> Bool {
        guard node.isScalar, node.style == .plain else { return false }
        // Every string value comes through here: most are told apart by their first byte.
        return document.withBytes(node) { bytes in
            guard let first = bytes.first else { return true }
            guard first == UInt8(ascii: "~") || first == UInt8(ascii: "n") || first == UInt8(ascii: "N") else { return false }
            return bytes.count == 1 ? first == UInt8(ascii: "~") : Self.nulls.contains { $0.elementsEqual(bytes) }
        }
    }

    private static let nulls = ["null", "Null", "NULL"].map { Array($0.utf8) }

    /// Plain words YAML 1.1 reads as booleans; in an enum field they are a type mistake, not a value.
    static let yaml11Booleans: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// The mapping's pairs, or an error saying what was found instead.
    mutating func mapping(_ node: Node, what: @autoclosure () -> String) -> YAMLDocument.Pairs? {
        if node.kind == .mapping { return document.pairs(node) }
        if isNull(node) {
            error(.emptyValue, "\(what()) is empty; expected a mapping of keys and values", node)
        } else {
            error(.wrongType, "\(what()) must be a mapping of keys and values, not \(describe(node))", node)
        }
        return nil
    }

    mutating func sequence(_ node: Node, what: @autoclosure () -> String) -> YAMLDocument.Items? {
        if node.kind == .sequence { return document.items(node) }
        if isNull(node) {
            error(.emptyValue, "\(what()) is empty; expected a list", node)
        } else {
            error(.wrongType, "\(what()) must be a list, not \(describe(node))", node)
        }
        return nil
    }

    /// A key as one of the `allowed` names, or nil after reporting a non-scalar or unknown key.
    /// Compared as bytes: the names are lower-case ASCII words, which no other spelling is
    /// canonically equivalent to (the text is compared as a `String` too before it is refused).
    mutating func key(_ keyNode: Node, in what: @autoclosure () -> String, allowed: FieldNames) -> String? {
        guard keyNode.isScalar else {
            error(.wrongType, "keys in \(what()) must be plain words, not \(keyNode.kindDescription)", keyNode)
            return nil
        }
        if let name = document.withBytes(keyNode, { allowed.match($0) }) { return name }
        let text = document.string(keyNode)
        if let name = allowed.names.first(where: { $0 == text }) { return name }
        error(.unknownKey, "unknown key '\(text)' in \(what())" + Suggestions.didYouMean(text, in: allowed.names), keyNode)
        return nil
    }

    /// A string value; scalars stay strings whatever they look like (`NO`, `1234`).
    mutating func string(_ node: Node, field: String) -> String? {
        guard node.isScalar else {
            error(.wrongType, "`\(field)` must be a string, not \(node.kindDescription)", node)
            return nil
        }
        if isNull(node) || (node.style.isQuoted && document.byteCount(node) == 0) {
            error(.emptyValue, "`\(field)` is empty", node)
            return nil
        }
        return document.string(node)
    }

    /// A mapping key used as a name: its text whatever it looks like (`null`, `~`, `NO`, `1234`).
    mutating func keyText(_ node: Node, what: @autoclosure () -> String) -> String? {
        guard node.isScalar else {
            error(.wrongType, "\(what()) must be a plain name, not \(node.kindDescription)", node)
            return nil
        }
        guard document.byteCount(node) > 0 else {
            error(.emptyValue, "\(what()) is empty", node)
            return nil
        }
        return document.string(node)
    }

    mutating func bool(_ node: Node, field: String) -> Bool? {
        if node.isScalar, node.style == .plain {
            switch document.string(node) {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default:
                if isNull(node) {
                    error(.emptyValue, "`\(field)` is empty; write true or false", node)
                    return nil
                }
            }
        }
        error(.wrongType, "`\(field)` must be true or false, not \(describe(node))", node)
        return nil
    }

    mutating func int(_ node: Node, field: String, range: ClosedRange<Int>) -> Int? {
        guard node.isScalar, node.style == .plain, let value = Int(document.string(node)) else {
            if isNull(node) {
                error(.emptyValue, "`\(field)` is empty; write a whole number", node)
            } else {
                error(.wrongType, "`\(field)` must be a whole number, not \(describe(node))", node)
            }
            return nil
        }
        guard range.contains(value) else {
            error(.badValue, "`\(field)` must be between \(range.lowerBound) and \(range.upperBound), not \(value)", node)
            return nil
        }
        return value
    }

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ node: Node, field: String) -> E? where E.RawValue == String {
        // Only messages need the list of choices; every `master:` of a large file comes through here.
        var allowed: [String] { E.allCases.map(\.rawValue) }
        var choices: String { allowed.map { "`\($0)`" }.joined(separator: " or ") }
        if node.isScalar, node.style == .plain, !isNull(node) {
            let text = document.string(node)
            if let value = E(rawValue: text) { return value }
            if Self.yaml11Booleans.contains(text) {
                error(.wrongType, "`\(field)` must be \(choices), not the boolean-looking '\(text)'", node)
                return nil
            }
        }
        guard let text = string(node, field: field) else { return nil }
        guard let value = E(rawValue: text) else {
            var hint = Suggestions.didYouMean(text, in: allowed)
            if hint.isEmpty, E.self == Master.self {
                // `master: shopify` means the store is master; other words are matched by shared letters.
                let guess = Platform(rawValue: text.lowercased()) != nil ? "store" : Suggestions.closestByLetters(text, in: allowed)
                hint = guess.map { "; did you mean '\($0)'?" } ?? ""
                hint += " (`stockyard`: the hub pushes its numbers to the store; `store`: the store's numbers are copied into the hub)"
            }
            error(.badValue, "`\(field)` must be \(choices), not '\(text)'" + hint, node)
            return nil
        }
        return value
    }

    /// A short description of what was found, for "must be X, not Y" messages.
    func describe(_ node: Node) -> String {
        switch node.kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar:
            let value = document.string(node)
            if node.style.isQuoted { return "the string \"\(value.prefix(40))\"" }
            return "'\(value.prefix(40))'"
        }
    }

    mutating func requireKeys(_ keys: [String], seen: [String], in node: Node, what: @autoclosure () -> String) {
        for key in keys where !seen.contains(key) {
            error(.missingKey, "\(what()) is missing the required key `\(key)`", node)
        }
    }

    mutating func requireKey(_ key: String, present: Bool, in node: Node, what: @autoclosure () -> String) {
        if !present { error(.missingKey, "\(what()) is missing the required key `\(key)`", node) }
    }

    /// Keys of warehouses and stores appear in addresses (`warehouse.leeds`), so they are kept simple.
    static func isValidObjectKey(_ key: String) -> Bool {
        var key = key
        return key.withUTF8(isValidObjectKey)
    }

    /// As `isValidObjectKey(_:)`, on the key's UTF-8 bytes: every allowed character is ASCII.
    static func isValidObjectKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, isASCIIAlnum(first) else { return false }
        return bytes.allSatisfy { isASCIIAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func isASCIIAlnum(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}

extension Unicode.Scalar {
    var isASCIIAlnum: Bool {
        (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
    }
}
