import Foundation
import StockyardEngine
import Testing

@testable import StockyardAdapters

/// The store file's own reader and writer against `JSONDecoder` and `JSONEncoder`, which they
/// stand in for: the writer must give the same bytes, and the reader the same document, or an
/// error with a position where the file is not acceptable.
@Suite struct FileStoreJSONTests {
    static func reference(_ document: FileStoreDocument) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }

    static func decoded(_ data: Data) -> FileStoreDocument? {
        try? JSONDecoder().decode(FileStoreDocument.self, from: data)
    }

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

        mutating func string() -> String {
            let pieces = [
                "a", "Z", "7", " ", "-", "/", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "😀", "\u{2028}", "Leeds", "{", "]", ":",
                ",",
            ]
            return (0..<int(6)).map { _ in pieces[int(pieces.count)] }.joined()
        }

        mutating func optionalString() -> String? { chance(30) ? nil : string() }

        mutating func document() -> FileStoreDocument {
            let locations = (0..<int(5)).map { i in
                FileStoreDocument.Location(
                    id: "id\(i)" + string(), name: string(), active: chance(50) ? nil : chance(50),
                    fulfillmentService: chance(50) ? nil : chance(50),
                    address: chance(30)
                        ? nil
                        : .init(
                            address1: optionalString(), address2: optionalString(), city: optionalString(), zip: optionalString(),
                            countryCode: optionalString()))
            }
            var quantities: [String: [String: Int]]?
            if chance(70) {
                var q: [String: [String: Int]] = [:]
                for location in locations where chance(70) {
                    var skus: [String: Int] = [:]
                    for _ in 0..<int(4) { skus[string()] = int(2 * StockQuantity.limit + 1) - StockQuantity.limit }
                    q[location.id] = skus
                }
                quantities = q
            }
            var requests: [FileStoreDocument.AnsweredRequest]?
            if chance(50) {
                requests = (0..<int(3)).map { _ in
                    .init(
                        key: string(),
                        refused: (0..<int(3)).map { _ in
                            QuantityWrite(locationID: string(), sku: string(), expected: chance(50) ? nil : int(1000) - 500, quantity: int(1000))
                        })
                }
            }
            return FileStoreDocument(locations: locations, quantities: quantities, requests: requests)
        }
    }

    @Test func writerMatchesJSONEncoderByteForByte() throws {
        var random = Random(state: 42)
        for _ in 0..<2000 {
            let document = random.document()
            var rendered: FileStoreDocument.RenderedLocations?
            let expected = try Self.reference(document)
            #expect(document.encodedJSON(reusing: &rendered) == expected)
            // Again with the locations taken from `rendered`.
            #expect(document.encodedJSON(reusing: &rendered) == expected)
        }
    }

    @Test func renderedLocationsAreOnlyReusedWhenEqual() throws {
        var random = Random(state: 7)
        var rendered: FileStoreDocument.RenderedLocations?
        for _ in 0..<500 {
            let document = random.document()
            #expect(document.encodedJSON(reusing: &rendered) == (try Self.reference(document)))
        }
    }

    @Test func readerAgreesWithJSONDecoder() throws {
        var random = Random(state: 1)
        for _ in 0..<2000 {
            let document = random.document()
            let pretty = try Self.reference(document)
            let compact = try JSONEncoder().encode(document)
            let serialized = try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: pretty))
            for data in [pretty, compact, serialized] {
                let fast = try FileStoreDocument.read([UInt8](data))
                #expect(try Self.reference(fast) == pretty)
            }
        }
    }

    /// Where `JSONDecoder` would take the first of two keys, round `1.0` to 1, or accept a number
    /// no store holds, the reader refuses, saying where.
    @Test(arguments: [
        (#"{"locations": [], "locations": []}"#, "1:19: the key \"locations\" appears twice in one object (first at 1:2)"),
        (#"{"locations": [{"id": "a", "name": "b", "id": "c"}]}"#, "1:41: the key \"id\" appears twice in one object (first at 1:17)"),
        (
            #"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"x": 1.0}}}"#,
            "1:69: the quantity of x must be a whole number from -1,000,000,000 to 1,000,000,000, not 1.0"
        ),
        (
            #"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"x": 1e2}}}"#,
            "1:69: the quantity of x must be a whole number from -1,000,000,000 to 1,000,000,000, not 1e2"
        ),
        (
            #"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"x": 1, "x": 2}}}"#,
            "1:72: the key \"x\" appears twice in one object (first at 1:64)"
        ),
        (
            #"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"x": 1, "\u0078": 2}}}"#,
            "1:72: the key \"x\" appears twice in one object (first at 1:64)"
        ),
        (
            #"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"\u0078": 1, "x": 2}}}"#,
            "1:77: the key \"x\" appears twice in one object (first at 1:64)"
        ),
        (
            #"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"x": 9223372036854775807}}}"#,
            "1:69: the quantity of x must be a whole number from -1,000,000,000 to 1,000,000,000, not 9223372036854775807"
        ),
        (
            #"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"x": -9223372036854775808}}}"#,
            "1:69: the quantity of x must be a whole number from -1,000,000,000 to 1,000,000,000, not -9223372036854775808"
        ),
        (
            #"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"x": 1000000001}}}"#,
            "1:69: the quantity of x must be a whole number from -1,000,000,000 to 1,000,000,000, not 1000000001"
        ),
        (
            #"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"x": 1e30}}}"#,
            "1:69: the quantity of x must be a whole number from -1,000,000,000 to 1,000,000,000, not 1e30"
        ),
        (
            #"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"x": "7"}}}"#,
            "1:69: the quantity of x must be a whole number from -1,000,000,000 to 1,000,000,000, not \"7\""
        ),
        (#"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"x": 01}}}"#, "1:69: a number must not start with 0"),
        (#"{"locations": [{"id": "a", "name": "\ud800"}]}"#, "1:37: a \\u escape names half of a character (a lone surrogate)"),
        (#"{"locations": [{"id": "a", "name": "b"}]} x"#, "1:43: unexpected text after the end of the JSON value"),
        (#"{"locations": [{"id": "a", "name": "b",}]}"#, "1:40: expected a key (a string in double quotes)"),
        (#"{"locations": [{"id": "a", "name": null}]}"#, "1:36: a location's `name` must be a string"),
        (#"{"locations": [{"id": "a", "name": "b", "active": 1}]}"#, "1:51: `active` must be true or false"),
        (#"{"locations": [{"id": "a", "name": "b"}, {"id": "a", "name": "c"}]}"#, "1:49: location id 'a' appears twice (first at 1:23)"),
        (#"{"locations": [{"name": "b"}]}"#, "1:16: a location needs an `id`"),
        (#"{"quantities": {}}"#, "1:1: a store file needs `locations`, the list of the store's locations"),
        (#"{"locations": [], "quantities": {"zz": {}}}"#, "1:34: `quantities` names location id 'zz', which no location has"),
        ("{\"locations\": [{\"id\": \"a\", \"name\": \"b\u{01}\"}]}", "1:38: a control character inside a string must be escaped"),
        ("{\"locations\": [\n  {\"id\": \"a\",\n   \"name\": \"b\"", "3:15: the object is not closed (a `}` is missing)"),
    ])
    func readerRefusesWithWhere(text: String, message: String) throws {
        #expect(throws: JSONInputError.self) { try FileStoreDocument.read(Array(text.utf8)) }
        do {
            _ = try FileStoreDocument.read(Array(text.utf8))
        } catch {
            #expect(error.description == message)
        }
        // A plan's read, which keeps only where the quantities are, refuses the same files alike.
        #expect(throws: JSONInputError.self) { try FileStoreDocument.readDeferringQuantities(Array(text.utf8)) }
        do {
            _ = try FileStoreDocument.readDeferringQuantities(Array(text.utf8))
        } catch {
            #expect(error.description == message)
        }
    }

    /// The quantities a plan reads location by location are those of the whole read.
    @Test func deferredQuantitiesAreTheWholeReadsOnes() throws {
        var random = Random(state: 7)
        for _ in 0..<20 {
            let document = random.document()
            let bytes = [UInt8](try Self.reference(document))
            let whole = try FileStoreDocument.read(bytes)
            let (located, deferred) = try FileStoreDocument.readDeferringQuantities(bytes)
            #expect(located.quantities == nil)
            #expect(located.locations == whole.locations)
            for location in whole.locations {
                #expect(try deferred.quantities(of: location.id) == whole.quantities?[location.id].map(SKUNumbers.init))
            }
        }
    }

    /// Objects with many keys (a location's SKUs) find repeated keys through a hash table: the
    /// first, a middle and the last key, and a key spelled with an escape, are all found.
    @Test(arguments: [17, 40, 300])
    func repeatedKeysFoundInLargeObjects(size: Int) throws {
        let skus = (0..<size).map { "\"SKU-\($0)\": \($0)" }
        func file(_ extra: String) -> [UInt8] {
            Array(#"{"locations": [{"id": "a", "name": "b"}], "quantities": {"a": {"#.utf8) + Array((skus + [extra]).joined(separator: ", ").utf8)
                + Array("}}}".utf8)
        }
        for repeated in [0, 15, 16, size - 1] {
            #expect(throws: JSONInputError.self) { try JSONPreflight.check(file("\"SKU-\(repeated)\": 1")) }
        }
        #expect(throws: JSONInputError.self) { try JSONPreflight.check(file(#""SKU-\u0031": 1"#)) }
        let fine = try FileStoreDocument.read(file("\"SKU-\(size)0\": 1"))
        #expect(fine.quantities?["a"]?.count == size + 1)
    }

    @Test func invalidUTF8IsRefusedWithItsPosition() throws {
        let bytes: [UInt8] = Array(#"{"locations":[{"id":""#.utf8) + [0xFF] + Array(#"","name":"b"}]}"#.utf8)
        #expect(throws: JSONInputError(offset: 21, line: 1, column: 22, message: "the text is not valid UTF-8", kind: .syntax)) {
            try FileStoreDocument.read(bytes)
        }
    }

    @Test func deepNestingIsRefusedWithoutRecursion() throws {
        // 140,000 nested lists under an unknown key crashed the reader with a stack overflow.
        let depth = 140_000
        let text = #"{"locations": [], "x": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        #expect(throws: JSONInputError.self) { try FileStoreDocument.read(Array(text.utf8)) }
        do {
            _ = try FileStoreDocument.read(Array(text.utf8))
        } catch {
            #expect(error.description == "1:151: nested deeper than 128 levels")
        }
    }

    @Test func aByteOrderMarkIsAllowed() throws {
        let document = try FileStoreDocument.read([0xEF, 0xBB, 0xBF] + Array(#"{"locations": [{"id": "a", "name": "b"}]}"#.utf8))
        #expect(document.locations.map(\.id) == ["a"])
    }

    @Test func unknownKeysAreKeptWhereTheySort() throws {
        let text = #"""
            {"zeta": {"keep": [1, 2.5, "x"]}, "alpha": true,
             "locations": [{"id": "a", "name": "b", "notes": "front door", "address": {"city": "Leeds", "floor": 2}}],
             "quantities": {"a": {"S": 3}}}
            """#
        let document = try FileStoreDocument.read(Array(text.utf8))
        var rendered: FileStoreDocument.RenderedLocations?
        let written = document.encodedJSON(reusing: &rendered)
        let expected = """
            {
              "alpha" : true,
              "locations" : [
                {
                  "address" : {
                    "city" : "Leeds",
                    "floor" : 2
                  },
                  "id" : "a",
                  "name" : "b",
                  "notes" : "front door"
                }
              ],
              "quantities" : {
                "a" : {
                  "S" : 3
                }
              },
              "zeta" : {"keep": [1, 2.5, "x"]}
            }
            """
        #expect(String(decoding: written, as: UTF8.self) == expected)
        // And what was written reads back to the same document.
        let again = try FileStoreDocument.read([UInt8](written))
        #expect(again.extras == document.extras && again.locations == document.locations)
    }

    @Test func readerSkipsUnknownKeysAndReadsNulls() throws {
        let text = #"""
            {"extra": [1, -2.5e3, {"a": [true, false, null]}, "s\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"],
             "locations": [{"id": "a", "name": "b", "active": null, "address": null, "unknown": {}},
                           {"id": "c", "name": "d", "address": {"city": null, "zip": "Z"}}],
             "quantities": null, "requests": null}
            """#
        let data = Data(text.utf8)
        let fast = try FileStoreDocument.read([UInt8](data))
        let slow = try #require(Self.decoded(data))
        #expect(try Self.reference(fast) == Self.reference(slow))
    }

    /// Random damage to valid files: whenever the reader accepts, `JSONDecoder` must agree.
    @Test func damagedFilesNeverReadDifferently() throws {
        var random = Random(state: 99)
        let alphabet = Array(#"{}[],:"\ 0123456789-.eEtrufalsn"#.utf8) + [0x0A, 0x80, 0xC3, 0xFF]
        for _ in 0..<3000 {
            var bytes = [UInt8](try Self.reference(random.document()))
            for _ in 0...random.int(3) where !bytes.isEmpty {
                let at = random.int(bytes.count)
                switch random.int(3) {
                case 0: bytes[at] = alphabet[random.int(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[random.int(alphabet.count)], at: at)
                }
            }
            let data = Data(bytes)
            guard let fast = try? FileStoreDocument.read(bytes) else { continue }
            let slow = try #require(Self.decoded(data), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(try Self.reference(fast) == Self.reference(slow))
        }
    }
}
