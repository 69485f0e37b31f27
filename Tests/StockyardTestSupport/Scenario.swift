import StockyardEngine

/// Builds desired configs and store facts in a few lines, for planner and apply tests.
public struct Scenario: Sendable {
    public var warehouses: [WarehouseSpec] = []
    public var stores: [StoreSpec] = []
    public var facts: [String: StoreFacts] = [:]
    public var state = HubState(lineage: "test-lineage")
    public var lintIgnore: Set<RuleID> = []
    private var line = 1

    public init() {}

    mutating func nextLocation() -> SourceLocation {
        line += 1
        return SourceLocation(file: "stockyard.yaml", line: line, column: 3)
    }

    public mutating func warehouse(
        _ key: String, kind: WarehouseKind = .own, name: String? = nil, code: String? = nil, formerly: [String] = [], protect: Bool? = nil
    ) {
        warehouses.append(
            WarehouseSpec(key: key, name: name ?? key.capitalized, code: code, kind: kind, formerly: formerly, protect: protect, location: nextLocation()))
    }

    /// A file store with the given locations (id = "loc-" + name lower-cased, spaces as dashes).
    public mutating func store(_ key: String, policy: UnmanagedLocationPolicy = .warn, locations: [StoreLocation]) {
        stores.append(StoreSpec(key: key, platform: .file, path: "stores/\(key).json", unmanagedLocations: policy, location: nextLocation()))
        facts[key] = StoreFacts(storeKey: key, locations: locations)
    }

    public mutating func link(
        _ store: String, _ location: String, to warehouse: String, master: Master = .stockyard, id: String? = nil, testingUntil: Day? = nil,
        protect: Bool? = nil
    ) {
        let index = stores.firstIndex { $0.key == store }!
        stores[index].connections.append(
            ConnectionSpec(
                storeKey: store, locationName: location, locationID: id, warehouseKey: warehouse, master: master,
                protect: protect, testingUntil: testingUntil, location: nextLocation()))
    }

    public var config: DesiredConfig {
        DesiredConfig(file: "stockyard.yaml", sha256: String(repeating: "ab", count: 32), warehouses: warehouses, stores: stores, lintIgnore: lintIgnore)
    }

    public var readings: [String: StoreReading] { facts.mapValues { .read($0) } }

    public static let today = Day(year: 2026, month: 6, day: 1)

    public func plan(selected: Set<String>? = nil) -> Plan {
        Planner.plan(Planner.Input(config: config, state: state, stores: readings, today: Self.today, selectedStores: selected))
    }

    /// Applies every change of the plan to `state` the simple way, for "plan again shows nothing" tests.
    public mutating func absorb(_ plan: Plan) {
        for change in plan.changes {
            switch (change.before, change.after) {
            case (_, .store(let r)?): state.stores[r.key] = r
            case (.store(let r)?, nil): state.stores[r.key] = nil
            case (.warehouse(let old)?, .warehouse(let new)?) where old.key != new.key:
                state.warehouses[old.key] = nil
                state.warehouses[new.key] = new
                for (id, c) in state.connections where c.warehouse == old.key { state.connections[id]!.warehouse = new.key }
            case (_, .warehouse(let r)?): state.warehouses[r.key] = r
            case (.warehouse(let r)?, nil): state.warehouses[r.key] = nil
            case (_, .connection(let r)?): state.connections[r.id] = r
            case (.connection(let r)?, nil): state.connections[r.id] = nil
            default: break
            }
        }
    }
}

public func location(_ name: String, id: String? = nil, active: Bool = true, fulfillment: Bool = false, street: String? = nil, zip: String = "LS1 1AA")
    -> StoreLocation
{
    StoreLocation(
        id: id ?? "loc-" + name.lowercased().replacingOccurrences(of: " ", with: "-"), name: name, isActive: active,
        isFulfillmentService: fulfillment, address: street.map { PostalAddress(address1: $0, city: "Leeds", zip: zip, countryCode: "GB") })
}
