import Foundation
import StockyardEngine

/// Turns rows, as both databases hold them, into records; a value this build cannot read in a
/// state whose schema it knows (damaged by hand or by a bug) is a "damaged" error naming the state.
struct StateRows {
    /// The state, as messages name it: a file path or a PostgreSQL location.
    let place: String
    private let decoder = JSONDecoder()

    init(place: String) {
        self.place = place
    }

    func damaged(_ damage: StateError.Damage) -> StateError {
        .damaged(place: place, damage)
    }

    func store(key: String, platform: String, target: String) throws(StateError) -> StoreRecord {
        guard let platform = Platform(rawValue: platform) else {
            throw damaged(.unknownPlatform(store: key, value: platform))
        }
        return StoreRecord(key: key, platform: platform, target: target)
    }

    func warehouse(key: String, name: String, code: String?, kind: String, protect: Bool) throws(StateError) -> WarehouseRecord {
        guard let kind = WarehouseKind(rawValue: kind) else {
            throw damaged(.unknownWarehouseKind(warehouse: key, value: kind))
        }
        return WarehouseRecord(key: key, name: name, code: code, kind: kind, protect: protect)
    }

    func connection(
        store: String, locationID: String, locationName: String, warehouse: String, master: String, protect: Bool
    ) throws(StateError) -> ConnectionRecord {
        guard let master = Master(rawValue: master) else {
            throw damaged(.unknownMaster(.init(store: store, locationID: locationID), value: master))
        }
        return ConnectionRecord(
            store: store, locationID: locationID, locationName: locationName, warehouse: warehouse, master: master,
            protect: protect
        )
    }

    /// A journaled push. One whose writes cannot be read is damage, not something to skip: the
    /// journal is how a push a crash interrupted is resolved, and dropping one can lose a sale.
    func pendingPush(key: String, store: String, locationID: String, writes: String) throws(StateError) -> PendingPush {
        guard let decoded = try? decoder.decode([QuantityWrite].self, from: Data(writes.utf8)) else {
            throw damaged(.unreadablePendingPush(key: key, store: store, locationID: locationID))
        }
        return PendingPush(key: key, store: store, locationID: locationID, writes: decoded)
    }

    func history(
        time: String, planID: String, address: String, action: String, before: String?, after: String?
    ) throws -> HistoryEntry {
        guard let action = ChangeAction(rawValue: action) else {
            throw damaged(.unknownAction(address: address, value: action))
        }
        return HistoryEntry(
            time: time, planID: planID, address: address, action: action,
            before: try HistoryDecoding.record(before, decoder, place: place, address: address),
            after: try HistoryDecoding.record(after, decoder, place: place, address: address)
        )
    }

    /// A push's writes as the journal keeps them: JSON text, the same in both databases, so that a
    /// copy between them is verbatim.
    static func encodedWrites(_ push: PendingPush) throws -> String {
        String(decoding: try JSONEncoder().encode(push.writes), as: UTF8.self)
    }
}
