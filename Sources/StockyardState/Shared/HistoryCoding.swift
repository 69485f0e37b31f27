import Foundation
import StockyardEngine

/// A history entry ready to insert: records as sorted-key JSON, so that equal records are equal text.
/// Shared by both stores, so that a history copied from one to the other is the same text.
struct EncodedHistory {
    var time: String
    var planID: String
    var address: String
    var action: String
    var before: String?
    var after: String?

    init(_ entry: HistoryEntry, path: String) throws(StateError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json(_ record: ObjectRecord?) throws(StateError) -> String? {
            guard let record else { return nil }
            do {
                return String(decoding: try encoder.encode(record), as: UTF8.self)
            } catch {
                throw .historyUnencodable(place: path, address: entry.address, reason: "\(error)")
            }
        }
        time = entry.time
        planID = entry.planID
        address = entry.address
        action = entry.action.rawValue
        before = try json(entry.before)
        after = try json(entry.after)
    }
}

/// Reads back what ``EncodedHistory`` wrote.
enum HistoryDecoding {
    /// The record in `json`, or a "damaged" error naming the state (`place`) and the entry.
    static func record(_ json: String?, _ decoder: JSONDecoder, place: String, address: String) throws -> ObjectRecord? {
        guard let json else { return nil }
        do {
            return try decoder.decode(ObjectRecord.self, from: Data(json.utf8))
        } catch {
            throw StateError.damaged(place: place, .unreadableHistoryRecord(address: address))
        }
    }
}
