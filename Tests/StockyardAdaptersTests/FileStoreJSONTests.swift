import Foundation
import StockyardEngine
import Testing

@testable import StockyardAdapters

/// The store file's own reader and writer against `JSONDecoder` and `JSONEncoder`, which they
/// stand in for: the writer must give the same bytes, and the reader the same document or nil.
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
            let pieces = ["a", "Z", "7", " ", "-", "/", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "😀", "\u{2028}", "Leeds", "{", "]", ":", ","]
            return (0..<int(6)).map { _ in pieces[int(pieces.count)] }.joined()
        }

        mutating func optionalString() -> String? { chance(30) ? nil : string() }

        mutating func document() -> FileStoreDocument {
            let locations = (0..<int(5)).map { i in
                FileStoreDocument.Location(
                    id: "id\(i)" + string(), name: string(), active: chance(50) ? nil : chance(50),
                    fulfillmentService: chance(50) ? nil : chance(50),
                    address: chance(30) ? nil : .init(
                        address1: optionalString(), address2: optionalString(), city: optionalString(), zip: optionalString(),
                        countryCode: optionalString()))
            }
            var quantities: [String: [String: Int]]?
            if chance(70) {
                var q: [String: [String: Int]] = [:]
                for location in locations where chance(70) {
                    var skus: [String: Int] = [:]
                    for _ in 0..<int(4) { skus[string()] = Int(truncatingIfNeeded: next()) >> int(64) }
                    q[location.id] = skus
                }
                quantities = q
            }
            var requests: [FileStoreDocument.AnsweredRequest]?
            if chance(50) {
                requests = (0..<int(3)).map { _ in
                    .init(key: string(), refused: (0..<int(3)).map { _ in
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
                let fast = try #require(FileStoreDocument.fastDecode(data))
                #expect(try Self.reference(fast) == pretty)
            }
        }
    }

    @Test func readerGivesUpWhereJSONDecoderDiffersOrFails() throws {
        let cases = [
            #"{"locations": [], "locations": []}"#,  // JSONDecoder takes the first
            #"{"locations": [{"id": "a", "name": "b", "id": "c"}]}"#,
            #"{"locations": [], "quantities": {"a": {"x": 1.0}}}"#,  // JSONDecoder reads 1.0 as 1
            #"{"locations": [], "quantities": {"a": {"x": 1e2}}}"#,
            #"{"locations": [], "quantities": {"a": {"x": 1, "x": 2}}}"#,
            "\u{FEFF}{\"locations\": []}",  // a byte order mark
            #"{"locations": [{"id": "a", "name": "\ud800"}]}"#,  // a lone surrogate
            #"{"locations": [{"id": "a", "name": "b"}]} x"#,
            #"{"locations": [{"id": "a", "name": "b",}]}"#,
            #"{"locations": [{"id": "a", "name": null}]}"#,
            #"{"locations": [], "quantities": {"a": {"x": 99999999999999999999}}}"#,
            #"{"locations": [], "quantities": {"a": {"x": 01}}}"#,
            #"{"locations": [{"id": "a", "name": "b", "active": 1}]}"#,
            #"{"quantities": {}}"#,
            "{\"locations\": [{\"id\": \"a\", \"name\": \"b\u{01}\"}]}",
        ]
        for text in cases {
            #expect(FileStoreDocument.fastDecode(Data(text.utf8)) == nil, "\(text)")
        }
        #expect(FileStoreDocument.fastDecode(Data([0x7B, 0x22, 0x6C, 0x6F, 0x63, 0x61, 0x74, 0x69, 0x6F, 0x6E, 0x73, 0x22, 0x3A, 0x5B, 0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x2C, 0x22, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0x62, 0x22, 0x7D, 0x5D, 0x7D])) == nil)
    }

    @Test func readerSkipsUnknownKeysAndReadsNulls() throws {
        let text = #"""
            {"extra": [1, -2.5e3, {"a": [true, false, null]}, "s\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"],
             "locations": [{"id": "a", "name": "b", "active": null, "address": null, "unknown": {}},
                           {"id": "c", "name": "d", "address": {"city": null, "zip": "Z"}}],
             "quantities": null, "requests": null}
            """#
        let data = Data(text.utf8)
        let fast = try #require(FileStoreDocument.fastDecode(data))
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
            guard let fast = FileStoreDocument.fastDecode(data) else { continue }
            let slow = try #require(Self.decoded(data), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(try Self.reference(fast) == Self.reference(slow))
        }
    }
}
