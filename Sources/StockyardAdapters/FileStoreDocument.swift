import Foundation
import StockyardEngine

/// The JSON shape of a `file` store: its locations and the units per location and SKU.
struct FileStoreDocument: Codable, Sendable {
    struct Location: Codable, Sendable, Equatable {
        var id: String
        var name: String
        var active: Bool?
        var fulfillmentService: Bool?
        var address: Address?

        enum CodingKeys: String, CodingKey {
            case id, name, active, address
            case fulfillmentService = "fulfillment_service"
        }
    }

    struct Address: Codable, Sendable, Equatable {
        var address1: String?
        var address2: String?
        var city: String?
        var zip: String?
        var countryCode: String?

        enum CodingKeys: String, CodingKey {
            case address1, address2, city, zip
            case countryCode = "country_code"
        }
    }

    /// An answered write request, kept so a retry with the same idempotency key is not applied twice.
    struct AnsweredRequest: Codable, Sendable {
        var key: String
        var refused: [QuantityWrite]
    }

    var locations: [Location]
    var quantities: [String: [String: Int]]?
    /// The most recent write requests, newest last (at most `FileStoreDocument.keptRequests`).
    var requests: [AnsweredRequest]?

    static let keptRequests = 200

    var storeLocations: [StoreLocation] {
        locations.map { l in
            StoreLocation(
                id: l.id, name: l.name, isActive: l.active ?? true, isFulfillmentService: l.fulfillmentService ?? false,
                address: l.address.map {
                    PostalAddress(address1: $0.address1, address2: $0.address2, city: $0.city, zip: $0.zip, countryCode: $0.countryCode)
                })
        }
    }
}

/// Why a store file could not be used, with the file and where in it.
public struct FileStoreError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension FileStoreDocument {
    /// Decodes the file, turning JSON errors into `FILE:LINE:COL: …` or `FILE: at PATH: …` messages.
    static func decode(_ data: Data, file: String) throws(FileStoreError) -> FileStoreDocument {
        // The usual well-formed file takes the fast reader; anything it gives up on, `JSONDecoder`.
        if let document = fastDecode(data) {
            try document.checkConsistency(file: file)
            return document
        }
        do {
            let document = try JSONDecoder().decode(FileStoreDocument.self, from: data)
            try document.checkConsistency(file: file)
            return document
        } catch let error as FileStoreError {
            throw error
        } catch let error as DecodingError {
            // Only a file that failed to decode is parsed a second time, for the syntax error's position.
            do {
                _ = try JSONSerialization.jsonObject(with: data)
            } catch {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not valid JSON"
                throw FileStoreError(message: "\(file):\(Self.position(in: data, detail: detail)): the store file is not valid JSON: \(detail)")
            }
            throw FileStoreError(message: "\(file): \(Self.describe(error))")
        } catch {
            throw FileStoreError(message: "\(file): \(error)")
        }
    }

    func checkConsistency(file: String) throws(FileStoreError) {
        var ids = Set<String>()
        for (index, location) in locations.enumerated() {
            if location.id.isEmpty { throw FileStoreError(message: "\(file): at locations[\(index)].id: the id is empty") }
            if !ids.insert(location.id).inserted {
                throw FileStoreError(message: "\(file): at locations[\(index)].id: location id '\(location.id)' appears twice")
            }
        }
        for (locationID, skus) in quantities ?? [:] {
            if !ids.contains(locationID) {
                throw FileStoreError(message: "\(file): at quantities.\(locationID): no location has id '\(locationID)'")
            }
            _ = skus  // negative numbers are allowed: an oversold SKU, as in a real store
        }
    }

    /// Foundation reports "around character N"; turn the byte offset into line:column.
    static func position(in data: Data, detail: String) -> String {
        guard let range = detail.range(of: "character "),
            let offset = Int(detail[range.upperBound...].prefix(while: \.isNumber))
        else { return "1:1" }
        var line = 1, column = 1
        for (i, byte) in data.enumerated() {
            if i >= offset { break }
            if byte == 10 { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return "\(line):\(column)"
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let i = key.intValue { out += "[\(i)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return out.isEmpty ? "the top level" : out
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "at \(path(context.codingPath)): expected \(describe(type))"
        case .valueNotFound(let type, let context):
            return "at \(path(context.codingPath)): expected \(describe(type)), found null"
        case .keyNotFound(let key, let context):
            return "at \(path(context.codingPath)): missing key \"\(key.stringValue)\""
        case .dataCorrupted(let context):
            return "at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type: return "a whole number"
        case is [Any].Type: return "a list"
        default: return type == Array<Location>.self ? "a list" : "an object"
        }
    }
}

/// A `file` store writes the whole file atomically, or not at all.
extension FileStoreError: StoreWriteError {
    public var nothingWritten: Bool { true }
}
