import StockyardEngine

/// Reads a store file that `JSONPreflight` has checked: the JSON is well formed, no deeper than
/// its cap, and no object repeats a key, so this reader only checks what the values are.
///
/// Written for exactly this document, without `JSONDecoder`: at a thousand locations per file,
/// `JSONDecoder` and `JSONEncoder` (several milliseconds per read and per write) took 90% of an apply.
struct JSONReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONInputError {
        JSONInputError(at: offset ?? position, in: bytes, message)
    }

    mutating func document() throws(JSONInputError) -> FileStoreDocument {
        skipWhitespace()
        let start = position
        var locations: [FileStoreDocument.Location]?
        var quantities: [String: [String: Int]]?
        var requests: [FileStoreDocument.AnsweredRequest]?
        var extras: [String: [UInt8]] = [:]
        var quantityKeys: [(id: String, offset: Int)] = []
        try object(what: "the store file") { reader, key, _ throws(JSONInputError) in
            switch key {
            case "locations":
                locations = try reader.array(what: "`locations`") { reader throws(JSONInputError) in try reader.location() }
            case "quantities":
                if reader.null() { return }
                var byLocation: [String: [String: Int]] = [:]
                try reader.object(what: "`quantities`") { reader, id, offset throws(JSONInputError) in
                    quantityKeys.append((id, offset))
                    if reader.deferQuantities {
                        reader.skipWhitespace()
                        let start = reader.position
                        try reader.checkSKUsQuickly(of: id)
                        reader.quantityRanges[id] = start..<reader.position
                    } else {
                        byLocation[id] = try reader.skus(of: id)
                    }
                }
                if !reader.deferQuantities { quantities = byLocation }
            case "requests":
                if reader.null() { return }
                requests = try reader.array(what: "`requests`") { reader throws(JSONInputError) in try reader.answeredRequest() }
            default:
                extras[key] = try reader.rawValue()
            }
        }
        guard let locations else { throw fail("a store file needs `locations`, the list of the store's locations", at: start) }
        // `locationIDs` holds every location's id already (each checked unique as it was read).
        if let unknown = quantityKeys.first(where: { locationIDs[$0.id] == nil }) {
            throw fail("`quantities` names location id '\(unknown.id)', which no location has", at: unknown.offset)
        }
        return FileStoreDocument(locations: locations, quantities: quantities, requests: requests, extras: extras)
    }

    /// Location ids already read, with where: an id given twice is an error naming both places.
    private var locationIDs: [String: Int] = [:]
    /// Check the quantities but keep only where each location's are (`quantityRanges`).
    var deferQuantities = false
    /// Location id -> the bytes of its `{ "SKU": units, … }` object.
    var quantityRanges: [String: Range<Int>] = [:]
    /// Values this reader held to `JSONPreflight`'s rules itself, in order: plain SKU objects
    /// (`checkSKUsQuickly`) and plain locations (`plainLocation`).
    var checkedValues: [Range<Int>] = []

    /// One location's `{ "SKU": units, … }`.
    mutating func skus(of id: String) throws(JSONInputError) -> [String: Int] {
        var skus: [String: Int] = [:]
        try object(what: "`quantities.\(id)`") { reader, sku, _ throws(JSONInputError) in
            skus[sku] = try reader.quantity(of: sku)
        }
        return skus
    }

    /// Checks what `skus(of:)` reads, with the same errors, without building a string or a
    /// dictionary entry per SKU (the JSON preflight has already refused repeated SKUs).
    mutating func checkSKUs(of id: String) throws(JSONInputError) {
        guard take(UInt8(ascii: "{")) else { throw fail("`quantities.\(id)` must be an object (`{ … }`)") }
        if take(UInt8(ascii: "}")) { return }
        repeat {
            skipWhitespace()
            let keyStart = position
            guard skipPlainString() || string() != nil else { throw fail("expected a key") }
            guard take(UInt8(ascii: ":")) else { throw fail("expected `:` after the key") }
            let bytes = self.bytes
            _ = try quantity(
                of: {
                    var key = JSONReader(bytes: bytes)
                    key.position = keyStart
                    return key.string() ?? ""
                }())
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { throw fail("expected `,` or `}`") }
    }

    mutating func location() throws(JSONInputError) -> FileStoreDocument.Location {
        skipWhitespace()
        let start = position
        if let plain = plainLocation() {
            return try checked(plain.location, idOffset: plain.idOffset, start: start)
        }
        var id: String?
        var idOffset = start
        var name: String?
        var active: Bool?
        var fulfillmentService: Bool?
        var address: FileStoreDocument.Address?
        var extras: [String: [UInt8]] = [:]
        try object(what: "a location") { reader, key, _ throws(JSONInputError) in
            switch key {
            case "id":
                reader.skipWhitespace()
                idOffset = reader.position
                id = try reader.string(what: "a location's `id`")
            case "name": name = try reader.string(what: "a location's `name`")
            case "active": active = try reader.optional { reader throws(JSONInputError) in try reader.bool(what: "`active`") }
            case "fulfillment_service":
                fulfillmentService = try reader.optional { reader throws(JSONInputError) in try reader.bool(what: "`fulfillment_service`") }
            case "address": address = try reader.optional { reader throws(JSONInputError) in try reader.address() }
            default: extras[key] = try reader.rawValue()
            }
        }
        return try checked(
            LocationFields(id: id, name: name, active: active, fulfillmentService: fulfillmentService, address: address, extras: extras),
            idOffset: idOffset, start: start)
    }

    /// A location's fields as read, before the checks that they make a location.
    struct LocationFields {
        var id: String?
        var name: String?
        var active: Bool?
        var fulfillmentService: Bool?
        var address: FileStoreDocument.Address?
        var extras: [String: [UInt8]] = [:]
    }

    private mutating func checked(_ read: LocationFields, idOffset: Int, start: Int) throws(JSONInputError) -> FileStoreDocument.Location {
        guard let id = read.id else { throw fail("a location needs an `id`", at: start) }
        guard let name = read.name else { throw fail("location '\(id)' needs a `name`", at: start) }
        guard !id.isEmpty else { throw fail("a location's `id` is empty", at: idOffset) }
        if let first = locationIDs.updateValue(idOffset, forKey: id) {
            throw fail("location id '\(id)' appears twice (first at \(JSONInputError.position(of: first, in: bytes)))", at: idOffset)
        }
        return FileStoreDocument.Location(
            id: id, name: name, active: read.active, fulfillmentService: read.fulfillmentService, address: read.address, extras: read.extras)
    }

    mutating func address() throws(JSONInputError) -> FileStoreDocument.Address {
        var address = FileStoreDocument.Address()
        try object(what: "an address") { reader, key, _ throws(JSONInputError) in
            func text(_ what: String) throws(JSONInputError) -> String? {
                try reader.optional { reader throws(JSONInputError) in try reader.string(what: "the address's `\(what)`") }
            }
            switch key {
            case "address1": address.address1 = try text(key)
            case "address2": address.address2 = try text(key)
            case "city": address.city = try text(key)
            case "zip": address.zip = try text(key)
            case "country_code": address.countryCode = try text(key)
            default: address.extras[key] = try reader.rawValue()
            }
        }
        return address
    }

    mutating func answeredRequest() throws(JSONInputError) -> FileStoreDocument.AnsweredRequest {
        skipWhitespace()
        let start = position
        var key: String?
        var refused: [QuantityWrite]?
        try object(what: "a request") { reader, name, _ throws(JSONInputError) in
            switch name {
            case "key": key = try reader.string(what: "a request's `key`")
            case "refused": refused = try reader.array(what: "`refused`") { reader throws(JSONInputError) in try reader.quantityWrite() }
            default: _ = try reader.rawValue()
            }
        }
        guard let key, let refused else { throw fail("a request needs `key` and `refused`", at: start) }
        return FileStoreDocument.AnsweredRequest(key: key, refused: refused)
    }

    mutating func quantityWrite() throws(JSONInputError) -> QuantityWrite {
        skipWhitespace()
        let start = position
        var locationID: String?
        var sku: String?
        var expected: Int?
        var quantity: Int?
        try object(what: "a refused write") { reader, key, _ throws(JSONInputError) in
            switch key {
            case "location_id": locationID = try reader.string(what: "`location_id`")
            case "sku": sku = try reader.string(what: "`sku`")
            case "expected": expected = try reader.optional { reader throws(JSONInputError) in try reader.quantity(of: "`expected`") }
            case "quantity": quantity = try reader.quantity(of: "`quantity`")
            default: _ = try reader.rawValue()
            }
        }
        guard let locationID, let sku, let quantity else { throw fail("a refused write needs `location_id`, `sku` and `quantity`", at: start) }
        return QuantityWrite(locationID: locationID, sku: sku, expected: expected, quantity: quantity)
    }
}
