import StockyardEngine
import YAMLKit

extension ConfigDecoder {
    // MARK: - Warehouses

    mutating func decodeWarehouses(_ node: Node) -> [WarehouseSpec] {
        guard let pairs = mapping(node, what: "`warehouses`") else { return [] }
        var out: [WarehouseSpec] = []
        out.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let key = objectKey(pair.key, what: "warehouse") else { continue }
            if let warehouse = decodeWarehouse(key: key, keyNode: pair.key, pair.value) {
                out.append(warehouse)
            } else {
                brokenWarehouses.insert(key)
            }
        }
        return out
    }

    mutating func decodeWarehouse(key: String, keyNode: Node, _ node: Node) -> WarehouseSpec? {
        func what() -> String { "warehouse '\(key)'" }
        guard let pairs = mapping(node, what: what()) else { return nil }
        var name: String?
        var code: String?
        var kind: WarehouseKind?
        var protect: Bool?
        var codeAt: SourceLocation?
        var formerly: [String] = []
        var formerlyAt: [SourceLocation] = []
        // Flags, not a list of the keys seen: one array per warehouse showed in profiles.
        var hasName = false
        var hasKind = false
        var ok = true
        for pair in pairs {
            guard let field = self.key(pair.key, in: what(), allowed: Keys.warehouse) else {
                ok = false
                continue
            }
            switch field {
            case "name":
                hasName = true
                name = string(pair.value, field: "name")
            case "code":
                code = string(pair.value, field: "code")
                codeAt = at(pair.value)
                if let c = code, !Self.isValidCode(c) {
                    error(.badValue, "`code` must be 1 to 16 letters, digits, '-' or '_', starting with a letter or digit; '\(c)' is not", pair.value)
                    code = nil
                }
            case "kind":
                hasKind = true
                kind = enumValue(pair.value, field: "kind")
            case "protect": protect = bool(pair.value, field: "protect")
            case "formerly":
                guard let items = sequence(pair.value, what: "`formerly`") else { continue }
                for item in items {
                    guard let old = objectKey(item, what: "former warehouse") else { continue }
                    formerly.append(old)
                    formerlyAt.append(at(item))
                }
            default: break
            }
        }
        requireKey("name", present: hasName, in: keyNode, what: what())
        requireKey("kind", present: hasKind, in: keyNode, what: what())
        guard ok, let name, let kind else { return nil }
        return WarehouseSpec(
            key: key, name: name, code: code, kind: kind, formerly: formerly, protect: protect, location: at(keyNode),
            codeLocation: codeAt, formerlyLocations: formerlyAt)
    }

    static func isValidCode(_ code: String) -> Bool {
        code.unicodeScalars.count <= 16 && isValidObjectKey(code)
    }

    /// A warehouse or store key: a scalar of letters, digits, '-' and '_'.
    mutating func objectKey(_ node: Node, what: String) -> String? {
        guard let key = keyText(node, what: "a \(what) key") else { return nil }
        guard document.withBytes(node, Self.isValidObjectKey) else {
            error(
                .badValue,
                "\(what) key '\(key)' must be letters, digits, '-' or '_', starting with a letter or digit (it is used in addresses like `warehouse.\(what == "store" ? "acme-us" : "leeds")`)",
                node)
            return nil
        }
        return key
    }

    // MARK: - Stores

    /// Each store needs only the document: they are decoded on every core, in parts with decoders
    /// of their own, then taken in order (stores, problems and dropped warehouses as one decoder
    /// going through them would have found them). One core decoded every store while validate's
    /// other core waited.
    mutating func decodeStores(_ node: Node, defaultMaster: Master) -> [StoreSpec] {
        guard let pairs = mapping(node, what: "`stores`") else { return [] }
        let parts = min(pairs.count, Parallel.width * 4)
        let fresh = ConfigDecoder(file: file, document: document)
        let decoded = Parallel.map(parts, chunk: 1) { part in
            var decoder = fresh
            var out: [StoreSpec] = []
            let start = pairs.startIndex
            for index in (start + pairs.count * part / parts)..<(start + pairs.count * (part + 1) / parts) {
                let pair = pairs[index]
                guard let key = decoder.objectKey(pair.key, what: "store") else { continue }
                if let store = decoder.decodeStore(key: key, keyNode: pair.key, pair.value, defaultMaster: defaultMaster) { out.append(store) }
            }
            return (out, decoder.diagnostics, decoder.warehousesOfDroppedConnections)
        }
        var out: [StoreSpec] = []
        for (stores, problems, dropped) in decoded {
            out += stores
            diagnostics += problems
            warehousesOfDroppedConnections.formUnion(dropped)
        }
        return out
    }

    mutating func decodeStore(key: String, keyNode: Node, _ node: Node, defaultMaster: Master) -> StoreSpec? {
        func what() -> String { "store '\(key)'" }
        guard let pairs = mapping(node, what: what()) else { return nil }
        var store = StoreSpec(key: key, platform: .file, location: at(keyNode))
        var platform: Platform?
        var platformKnown = true
        // The platform decides which keys are allowed, so read it first.
        for pair in pairs where document.scalar(pair.key, is: "platform") {
            platform = enumValue(pair.value, field: "platform")
            platformKnown = platform != nil
        }
        var seen: [String] = []
        var ok = platform != nil
        var locationsNode: Node?
        for pair in pairs {
            guard let field = self.key(pair.key, in: what(), allowed: Keys.store) else {
                ok = false
                continue
            }
            seen.append(field)
            if let platform, platform != .shopify, Keys.shopifyOnly.contains(field) {
                error(.unknownKey, "`\(field)` is for `platform: shopify` stores; \(what()) is `platform: \(platform.rawValue)`", pair.key)
                ok = false
                continue
            }
            if let platform, platform != .file, Keys.fileOnly.contains(field) {
                error(.unknownKey, "`\(field)` is for `platform: file` stores; \(what()) is `platform: \(platform.rawValue)`", pair.key)
                ok = false
                continue
            }
            switch field {
            case "shop":
                store.shop = string(pair.value, field: "shop")
                if let shop = store.shop, !Self.isValidShop(shop) {
                    error(.badValue, "`shop` must be the store's NAME.myshopify.com domain, not '\(shop)'", pair.value)
                    ok = false
                }
            case "credentials": store.credentials = credentials(pair.value, store: key)
            case "api_version":
                store.apiVersion = string(pair.value, field: "api_version")
                if let v = store.apiVersion, !ConfigSyntax.isAPIVersion(v) {
                    error(.badValue, "`api_version` must look like 2025-07 (YYYY-MM), not '\(v)'", pair.value)
                    ok = false
                }
            case "endpoint":
                store.endpoint = string(pair.value, field: "endpoint")
                if let e = store.endpoint, !(e.hasPrefix("http://") || e.hasPrefix("https://")) || e.count < 9 {
                    error(.badValue, "`endpoint` must be an http:// or https:// base URL, not '\(e)'", pair.value)
                    ok = false
                }
            case "path": store.path = string(pair.value, field: "path")
            case "unmanaged_locations":
                if let policy: UnmanagedLocationPolicy = enumValue(pair.value, field: "unmanaged_locations") { store.unmanagedLocations = policy }
            case "locations": locationsNode = pair.value
            default: break
            }
        }
        var required = ["platform", "locations"]
        if platform == .shopify { required += ["shop", "credentials"] }
        if platform == .file { required += ["path"] }
        requireKeys(platformKnown ? required : ["locations"], seen: seen, in: keyNode, what: what())
        store.platform = platform ?? .file
        if let locationsNode {
            store.connections = decodeConnections(locationsNode, store: key, defaultMaster: defaultMaster)
        }
        guard ok else {
            for connection in store.connections { warehousesOfDroppedConnections.insert(connection.warehouseKey) }
            return nil
        }
        return store
    }

    static func isValidShop(_ shop: String) -> Bool {
        guard shop.hasSuffix(".myshopify.com") else { return false }
        let name = shop.dropLast(".myshopify.com".count)
        guard let first = name.unicodeScalars.first, first.isASCIIAlnum else { return false }
        return name.unicodeScalars.allSatisfy { ($0.isASCIIAlnum && !($0.value >= 0x41 && $0.value <= 0x5A)) || $0 == "-" }
    }

    /// `env:NAME` or `file:PATH`. Anything else may be a pasted token: reported without echoing it.
    mutating func credentials(_ node: Node, store: String) -> CredentialReference? {
        guard let value = string(node, field: "credentials") else { return nil }
        switch ConfigSyntax.credentials(value) {
        case .reference(let reference):
            return reference
        case .badVariableName:
            error(.badValue, "`credentials: env:NAME` needs an environment variable name of letters, digits and '_' (store '\(store)')", node)
            return nil
        case .emptyPath:
            error(.emptyValue, "`credentials: file:PATH` needs a path (store '\(store)')", node)
            return nil
        case .notAReference:
            break
        }
        diagnostics.append(
            Diagnostic(
                .error, .literalSecret,
                "`credentials` of store '\(store)' must be `env:NAME` or `file:PATH`; this looks like a literal secret, which must never be in the config: remove it, rotate it if it was committed, and reference it instead",
                at: at(node), redactFromColumn: node.mark.column))
        return nil
    }

    // MARK: - Connections

    mutating func decodeConnections(_ node: Node, store: String, defaultMaster: Master) -> [ConnectionSpec] {
        guard let pairs = mapping(node, what: "`locations` of store '\(store)'") else { return [] }
        var out: [ConnectionSpec] = []
        out.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let name = keyText(pair.key, what: "a location name") else { continue }
            if let connection = decodeConnection(name: name, keyNode: pair.key, pair.value, store: store, defaultMaster: defaultMaster) {
                out.append(connection)
            }
        }
        return out
    }

    mutating func decodeConnection(name: String, keyNode: Node, _ node: Node, store: String, defaultMaster: Master) -> ConnectionSpec? {
        func what() -> String { "location '\(name)' of store '\(store)'" }
        guard let pairs = mapping(node, what: what()) else { return nil }
        var warehouse: String?
        var warehouseAt: SourceLocation?
        var master: Master?
        var masterAt: SourceLocation?
        var id: String?
        var idAt: SourceLocation?
        var protect: Bool?
        var testingUntil: Day?
        var hasWarehouse = false
        var ok = true
        for pair in pairs {
            guard let field = self.key(pair.key, in: what(), allowed: Keys.connection) else {
                ok = false
                continue
            }
            switch field {
            case "warehouse":
                hasWarehouse = true
                warehouse = string(pair.value, field: "warehouse")
                warehouseAt = at(pair.value)
            case "master":
                master = enumValue(pair.value, field: "master")
                masterAt = at(pair.value)
                if master == nil { ok = false }
            case "id":
                id = string(pair.value, field: "id")
                idAt = at(pair.value)
            case "protect": protect = bool(pair.value, field: "protect")
            case "testing_until":
                if let text = string(pair.value, field: "testing_until") {
                    testingUntil = Day(iso: text)
                    if testingUntil == nil {
                        error(.badValue, "`testing_until` must be a date written YYYY-MM-DD, not '\(text)'", pair.value)
                        ok = false
                    }
                }
            default: break
            }
        }
        requireKey("warehouse", present: hasWarehouse, in: keyNode, what: what())
        guard ok, let warehouse else {
            if let warehouse { warehousesOfDroppedConnections.insert(warehouse) }
            return nil
        }
        return ConnectionSpec(
            storeKey: store, locationName: name, locationID: id, warehouseKey: warehouse, master: master ?? defaultMaster,
            masterIsExplicit: master != nil, protect: protect, testingUntil: testingUntil, location: at(keyNode),
            warehouseLocation: warehouseAt, masterLocation: masterAt, idLocation: idAt)
    }
}
