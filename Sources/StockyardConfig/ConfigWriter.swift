import StockyardEngine

/// Writes a config file from a model: used by `stockyard init` and `stockyard import`. Every string
/// that YAML could read as something else is double-quoted, so the file reads back to the same values.
public enum ConfigWriter {
    public struct Options: Sendable {
        /// Comment lines for the top of the file, without `#`.
        public var header: [String]
        public var schemaPath: String?

        public init(header: [String] = [], schemaPath: String? = nil) {
            self.header = header
            self.schemaPath = schemaPath
        }
    }

    public static func write(_ config: DesiredConfig, options: Options = Options()) -> String {
        var out = ""
        if let schema = options.schemaPath { out += "# yaml-language-server: $schema=\(schema)\n" }
        for line in options.header { out += line.isEmpty ? "#\n" : "# \(line)\n" }
        if !out.isEmpty { out += "\n" }
        out += "version: 1\n\ndefaults:\n  master: \(config.defaultMaster.rawValue)\n"
        if config.safety != SafetyThresholds() {
            let t = config.safety
            out += "\nsafety:\n  max_update_percent: \(t.maxUpdatePercent)\n  max_delete_percent: \(t.maxDeletePercent)\n  min_existing: \(t.minExisting)\n"
        }
        if !config.lintIgnore.isEmpty {
            out += "\nlint:\n  ignore: [\(config.lintIgnore.map(\.rawValue).sorted().joined(separator: ", "))]\n"
        }
        out += "\nwarehouses:"
        out += config.warehouses.isEmpty ? " {}\n" : "\n"
        for w in config.warehouses {
            out += "  \(scalar(w.key)):\n    name: \(scalar(w.name))\n"
            if let code = w.code { out += "    code: \(scalar(code))\n" }
            out += "    kind: \(w.kind.rawValue)\n"
            if !w.formerly.isEmpty { out += "    formerly: [\(w.formerly.map(scalar).joined(separator: ", "))]\n" }
            if let protect = w.protect, protect { out += "    protect: true\n" }
        }
        out += "\nstores:"
        out += config.stores.isEmpty ? " {}\n" : "\n"
        for s in config.stores {
            out += "  \(scalar(s.key)):\n    platform: \(s.platform.rawValue)\n"
            if let shop = s.shop { out += "    shop: \(scalar(shop))\n" }
            if let credentials = s.credentials { out += "    credentials: \(scalar(credentials.description))\n" }
            if let v = s.apiVersion { out += "    api_version: \(scalar(v))\n" }
            if let e = s.endpoint { out += "    endpoint: \(scalar(e))\n" }
            if let path = s.path { out += "    path: \(scalar(path))\n" }
            if s.unmanagedLocations != .warn { out += "    unmanaged_locations: \(s.unmanagedLocations.rawValue)\n" }
            out += "    locations:"
            out += s.connections.isEmpty ? " {}\n" : "\n"
            for c in s.connections {
                out += "      \(scalar(c.locationName)):\n"
                if let id = c.locationID { out += "        id: \(scalar(id))\n" }
                out += "        warehouse: \(scalar(c.warehouseKey))\n"
                if c.masterIsExplicit || c.master != config.defaultMaster { out += "        master: \(c.master.rawValue)\n" }
                if let until = c.testingUntil { out += "        testing_until: \(until)\n" }
                if let protect = c.protect, protect { out += "        protect: true\n" }
            }
        }
        return out
    }

    /// A plain scalar when it reads back as the same string, else a double-quoted one.
    public static func scalar(_ text: String) -> String {
        isSafePlain(text) ? text : ConnectionAddress.quoted(text)
    }

    static let reserved: Set<String> = [
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
    ]

    static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        guard first.properties.isAlphabetic, last != " " else { return false }
        if reserved.contains(text.lowercased()) { return false }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return false }
        return text.unicodeScalars.allSatisfy { s in
            s.properties.isAlphabetic || s.properties.numericType != nil || " _-./()'&+".unicodeScalars.contains(s)
        }
    }
}

extension ConfigWriter {
    /// Whether a warehouse or store key is valid in the language.
    public static func isValidKey(_ key: String) -> Bool { ConfigDecoder.isValidObjectKey(key) }

    /// A key for a name: lower-case words joined by '-', made unique with a number.
    public static func uniqueKey(for name: String, taken: inout Set<String>) -> String {
        var slug = ""
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCIIAlnum { slug.unicodeScalars.append(scalar) } else if !slug.isEmpty, !slug.hasSuffix("-") { slug += "-" }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.isEmpty { slug = "warehouse" }
        var key = slug
        var n = 2
        while taken.contains(key) {
            key = "\(slug)-\(n)"
            n += 1
        }
        taken.insert(key)
        return key
    }
}
