/// The targeted reads of ``StateStore``, answered from a whole state: what the in-memory store
/// returns, and what the contract tests hold the databases to.
extension HubState {
    /// The warehouse's connections, by store and location id.
    public func connections(inWarehouse key: String) -> [ConnectionRecord] {
        connections.values.filter { $0.warehouse == key }.sorted { $0.id < $1.id }
    }

    /// The stock of those of `keys` that hold any.
    public func stock(inWarehouses keys: [String]) -> [String: SKUNumbers] {
        var out: [String: SKUNumbers] = [:]
        for key in keys { if let quantities = stock[key], !quantities.isEmpty { out[key] = quantities } }
        return out
    }

    /// The sync marks of those of `ids` that have any.
    public func syncMarks(of ids: [ConnectionRecord.ID]) -> [ConnectionRecord.ID: [String: Int]] {
        var out: [ConnectionRecord.ID: [String: Int]] = [:]
        for id in ids { if let marks = syncMarks[id], !marks.isEmpty { out[id] = marks } }
        return out
    }
}
