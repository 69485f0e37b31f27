/// A location as its store reports it.
public struct StoreLocation: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var isActive: Bool
    /// Run by a fulfillment service (a 3PL app), which updates stock in the store itself.
    public var isFulfillmentService: Bool
    public var address: PostalAddress?

    public init(id: String, name: String, isActive: Bool = true, isFulfillmentService: Bool = false, address: PostalAddress? = nil) {
        self.id = id
        self.name = name
        self.isActive = isActive
        self.isFulfillmentService = isFulfillmentService
        self.address = address
    }
}

/// A street address, compared loosely to spot one building sold through several stores.
public struct PostalAddress: Sendable, Hashable, Codable {
    public var address1: String?
    public var address2: String?
    public var city: String?
    public var zip: String?
    public var countryCode: String?

    public init(address1: String? = nil, address2: String? = nil, city: String? = nil, zip: String? = nil, countryCode: String? = nil) {
        self.address1 = address1
        self.address2 = address2
        self.city = city
        self.zip = zip
        self.countryCode = countryCode
    }

    /// Lower-cased, punctuation- and space-free street, zip and country; `nil` when too little is known
    /// to call two addresses the same.
    public var matchKey: String? {
        /// Words, lower-cased, common street abbreviations unified ("Street" = "St"), joined without spaces.
        func norm(_ s: String?) -> String {
            let words = (s ?? "").lowercased().unicodeScalars.split { !CharacterSet_isAlnum($0) }.map { String(String.UnicodeScalarView($0)) }
            return words.map { PostalAddress.abbreviations[$0] ?? $0 }.joined()
        }
        let street = norm(address1), zip = norm(self.zip), country = norm(countryCode)
        guard !street.isEmpty, !zip.isEmpty || !norm(city).isEmpty else { return nil }
        return [street, norm(address2), zip.isEmpty ? norm(city) : zip, country].joined(separator: "|")
    }

    static let abbreviations: [String: String] = [
        "street": "st", "road": "rd", "avenue": "ave", "av": "ave", "drive": "dr", "lane": "ln", "boulevard": "blvd",
        "place": "pl", "court": "ct", "suite": "ste", "square": "sq", "highway": "hwy", "parkway": "pkwy",
        "north": "n", "south": "s", "east": "e", "west": "w", "floor": "fl", "building": "bldg",
    ]

    public var oneLine: String {
        [address1, address2, city, zip, countryCode].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
    }
}

@inline(__always)
func CharacterSet_isAlnum(_ s: Unicode.Scalar) -> Bool {
    s.properties.isAlphabetic || s.properties.numericType != nil
}

/// What one store reported when it was read for a plan.
public struct StoreFacts: Sendable, Hashable {
    public var storeKey: String
    public var locations: [StoreLocation]
    /// Units per location id and SKU, when the adapter was asked for them.
    public var quantities: [String: [String: Int]]

    public init(storeKey: String, locations: [StoreLocation], quantities: [String: [String: Int]] = [:]) {
        self.storeKey = storeKey
        self.locations = locations
        self.quantities = quantities
    }
}

/// The outcome of reading one store: its facts, or a message saying why it could not be read.
public enum StoreReading: Sendable, Hashable {
    case read(StoreFacts)
    case failed(message: String, location: SourceLocation?)
}
