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
        var key: [UInt8] = []
        key.reserveCapacity(64)
        PostalAddress.appendWords(of: address1, to: &key)
        guard !key.isEmpty else { return nil }
        key.append(UInt8(ascii: "|"))
        PostalAddress.appendWords(of: address2, to: &key)
        key.append(UInt8(ascii: "|"))
        let place = key.count
        PostalAddress.appendWords(of: zip, to: &key)
        if key.count == place { PostalAddress.appendWords(of: city, to: &key) }
        guard key.count > place else { return nil }
        key.append(UInt8(ascii: "|"))
        PostalAddress.appendWords(of: countryCode, to: &key)
        return String(decoding: key, as: UTF8.self)
    }

    /// Appends the words of `text`, lower-cased, common street abbreviations unified ("Street" =
    /// "St"), without the spaces and punctuation between them.
    ///
    /// ASCII text, nearly every address, is done byte by byte: every store location's address goes
    /// through here on every plan, and the general path (Unicode lower-casing, a `String` per word)
    /// was a tenth of a plan's time. It gives the same bytes: for ASCII, `lowercased()` only maps
    /// A-Z, and the letters and digits are the only alphabetic and numeric scalars.
    static func appendWords(of text: String?, to key: inout [UInt8]) {
        guard let text else { return }
        let start = key.count
        var wordStart = start
        func endWord(_ key: inout [UInt8]) {
            let length = key.count - wordStart
            if length >= 2, length <= longestAbbreviated, abbreviationStarts[length] & (1 << (key[wordStart] & 0x1F)) != 0,
                let short = abbreviations[String(decoding: key[wordStart...], as: UTF8.self)]
            {
                key.replaceSubrange(wordStart..., with: short.utf8)
            }
            wordStart = key.count
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): key.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): key.append(byte + 0x20)
            case 0x80...:
                // Not ASCII after all: what this text added is taken back and made the general way
                // (found here, not by a pass over every text first).
                key.removeSubrange(start...)
                let words = text.lowercased().unicodeScalars.split { !CharacterSet_isAlnum($0) }.map { String(String.UnicodeScalarView($0)) }
                for word in words { key.append(contentsOf: (abbreviations[word] ?? word).utf8) }
                return
            default: endWord(&key)
            }
        }
        endWord(&key)
    }

    static let abbreviations: [String: String] = [
        "street": "st", "road": "rd", "avenue": "ave", "av": "ave", "drive": "dr", "lane": "ln", "boulevard": "blvd",
        "place": "pl", "court": "ct", "suite": "ste", "square": "sq", "highway": "hwy", "parkway": "pkwy",
        "north": "n", "south": "s", "east": "e", "west": "w", "floor": "fl", "building": "bldg",
    ]
    private static let longestAbbreviated = abbreviations.keys.map(\.utf8.count).max() ?? 0
    /// By a word's length, a bit per first letter (a to z) some abbreviated word of that length
    /// starts with: most words ("unit", "park", a zip) are then known not to be one without
    /// making a `String` of them and hashing it, which was a twentieth of a plan's time.
    private static let abbreviationStarts: [UInt32] = {
        var starts = [UInt32](repeating: 0, count: longestAbbreviated + 1)
        for word in abbreviations.keys { starts[word.utf8.count] |= 1 << (word.utf8.first! & 0x1F) }
        return starts
    }()

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
    public var quantities: [String: SKUNumbers]

    public init(storeKey: String, locations: [StoreLocation], quantities: [String: SKUNumbers] = [:]) {
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
