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
        /// Keys Stockyard does not know, with their values as written: kept when the file is rewritten.
        var extras: [String: [UInt8]] = [:]

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
        var extras: [String: [UInt8]] = [:]

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
    /// Top-level keys Stockyard does not know, with their values as written.
    var extras: [String: [UInt8]] = [:]

    enum CodingKeys: String, CodingKey {
        case locations, quantities, requests
    }

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

extension FileStoreDocument {
    /// Reads the file, turning what is wrong with it into `FILE:LINE:COLUMN: …`.
    static func decode(_ bytes: [UInt8], file: String) throws(FileStoreError) -> FileStoreDocument {
        do {
            return try read(bytes)
        } catch {
            throw .invalid(file: file, line: error.line, column: error.column, reason: error.message)
        }
    }

    /// As `decode`, with the quantities left where they are in the file (`readDeferringQuantities`).
    static func decodeDeferringQuantities(_ bytes: [UInt8], file: String) throws(FileStoreError) -> (FileStoreDocument, DeferredQuantities) {
        do {
            return try readDeferringQuantities(bytes)
        } catch {
            throw .invalid(file: file, line: error.line, column: error.column, reason: error.message)
        }
    }
}
