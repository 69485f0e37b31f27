import StockyardEngine
import YAMLKit

/// The allowed keys of each mapping, for unknown-key errors and their suggestions.
enum Keys {
    static let root = ["version", "defaults", "warehouses", "stores", "safety", "lint"]
    static let defaults = ["master"]
    static let safety = ["max_update_percent", "max_delete_percent", "min_existing"]
    static let lint = ["ignore"]
    static let warehouse = ["name", "code", "kind", "formerly", "protect"]
    static let store = ["platform", "shop", "credentials", "api_version", "endpoint", "path", "unmanaged_locations", "locations"]
    static let shopifyOnly: Set<String> = ["shop", "credentials", "api_version", "endpoint"]
    static let fileOnly: Set<String> = ["path"]
    static let connection = ["warehouse", "master", "id", "protect", "testing_until"]
}

// MARK: - Typed scalar readers

extension ConfigDecoder {
    /// A plain scalar YAML would read as null: empty, `~` or `null`.
    func isNull(_ scalar: YAMLScalar) -> Bool {
        guard scalar.style == .plain else { return false }
        // Every string value comes through here: most are told apart by their first byte.
        guard let first = scalar.value.utf8.first else { return true }
        guard first == UInt8(ascii: "~") || first == UInt8(ascii: "n") || first == UInt8(ascii: "N") else { return false }
        return scalar.value == "~" || scalar.value == "null" || scalar.value == "Null" || scalar.value == "NULL"
    }

    /// Plain words YAML 1.1 reads as booleans; in an enum field they are a type mistake, not a value.
    static let yaml11Booleans: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// The mapping's pairs, or an error saying what was found instead.
    mutating func mapping(_ node: YAMLNode, what: @autoclosure () -> String) -> [YAMLPair]? {
        switch node.content {
        case .mapping(let pairs): return pairs
        case .scalar(let s) where isNull(s):
            error(.emptyValue, "\(what()) is empty; expected a mapping of keys and values", node)
        default:
            error(.wrongType, "\(what()) must be a mapping of keys and values, not \(describe(node))", node)
        }
        return nil
    }

    mutating func sequence(_ node: YAMLNode, what: @autoclosure () -> String) -> [YAMLNode]? {
        switch node.content {
        case .sequence(let items): return items
        case .scalar(let s) where isNull(s):
            error(.emptyValue, "\(what()) is empty; expected a list", node)
        default:
            error(.wrongType, "\(what()) must be a list, not \(describe(node))", node)
        }
        return nil
    }

    /// A pair's key as a string, or nil after reporting a non-scalar or unknown key.
    mutating func key(_ pair: YAMLPair, in what: @autoclosure () -> String, allowed: [String]) -> String? {
        guard let scalar = pair.key.scalar else {
            error(.wrongType, "keys in \(what()) must be plain words, not \(pair.key.kindDescription)", pair.key)
            return nil
        }
        guard allowed.contains(scalar.value) else {
            error(.unknownKey, "unknown key '\(scalar.value)' in \(what())" + Suggestions.didYouMean(scalar.value, in: allowed), pair.key)
            return nil
        }
        return scalar.value
    }

    /// A string value; scalars stay strings whatever they look like (`NO`, `1234`).
    mutating func string(_ node: YAMLNode, field: String) -> String? {
        guard let scalar = node.scalar else {
            error(.wrongType, "`\(field)` must be a string, not \(node.kindDescription)", node)
            return nil
        }
        if isNull(scalar) || (scalar.style.isQuoted && scalar.value.isEmpty) {
            error(.emptyValue, "`\(field)` is empty", node)
            return nil
        }
        return scalar.value
    }

    /// A mapping key used as a name: its text whatever it looks like (`null`, `~`, `NO`, `1234`).
    mutating func keyText(_ node: YAMLNode, what: @autoclosure () -> String) -> String? {
        guard let scalar = node.scalar else {
            error(.wrongType, "\(what()) must be a plain name, not \(node.kindDescription)", node)
            return nil
        }
        guard !scalar.value.isEmpty else {
            error(.emptyValue, "\(what()) is empty", node)
            return nil
        }
        return scalar.value
    }

    mutating func bool(_ node: YAMLNode, field: String) -> Bool? {
        if let scalar = node.scalar, scalar.style == .plain {
            switch scalar.value {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default:
                if isNull(scalar) {
                    error(.emptyValue, "`\(field)` is empty; write true or false", node)
                    return nil
                }
            }
        }
        error(.wrongType, "`\(field)` must be true or false, not \(describe(node))", node)
        return nil
    }

    mutating func int(_ node: YAMLNode, field: String, range: ClosedRange<Int>) -> Int? {
        guard let scalar = node.scalar, scalar.style == .plain, let value = Int(scalar.value) else {
            if let s = node.scalar, isNull(s) {
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

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ node: YAMLNode, field: String) -> E? where E.RawValue == String {
        // Only messages need the list of choices; every `master:` of a large file comes through here.
        var allowed: [String] { E.allCases.map(\.rawValue) }
        var choices: String { allowed.map { "`\($0)`" }.joined(separator: " or ") }
        if let scalar = node.scalar, scalar.style == .plain, E(rawValue: scalar.value) == nil, Self.yaml11Booleans.contains(scalar.value) {
            error(.wrongType, "`\(field)` must be \(choices), not the boolean-looking '\(scalar.value)'", node)
            return nil
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
    func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if s.style.isQuoted { return "the string \"\(s.value.prefix(40))\"" }
            return "'\(s.value.prefix(40))'"
        }
    }

    mutating func requireKeys(_ keys: [String], seen: [String], in node: YAMLNode, what: @autoclosure () -> String) {
        for key in keys where !seen.contains(key) {
            error(.missingKey, "\(what()) is missing the required key `\(key)`", node)
        }
    }

    mutating func requireKey(_ key: String, present: Bool, in node: YAMLNode, what: @autoclosure () -> String) {
        if !present { error(.missingKey, "\(what()) is missing the required key `\(key)`", node) }
    }

    /// Keys of warehouses and stores appear in addresses (`warehouse.leeds`), so they are kept simple.
    static func isValidObjectKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first.isASCIIAlnum else { return false }
        return key.unicodeScalars.allSatisfy { $0.isASCIIAlnum || $0 == "_" || $0 == "-" }
    }
}

extension Unicode.Scalar {
    var isASCIIAlnum: Bool {
        (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
    }
}
