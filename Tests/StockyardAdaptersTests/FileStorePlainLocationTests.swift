import Foundation
import StockyardEngine
import Testing

@testable import StockyardAdapters

/// Locations written plainly are read without the general reader; they read as `JSONDecoder`
/// reads them, and anything else is left to the general reader, position unchanged.
@Suite struct FileStorePlainLocationTests {
    static let plain = [
        #"{"id": "a", "name": "b"}"#,
        #"{ "name" : "York shop" , "id":"loc-1", "active": false, "fulfillment_service": null }"#,
        #"{"id": "x", "name": "", "active": true, "fulfillment_service": true, "address": null}"#,
        #"{"id": "x", "name": "n", "address": {"address1": "1 High St", "address2": null, "city": "York", "zip": "YO1", "country_code": "GB"}}"#,
        #"{"id": "x", "name": "n", "address": {}}"#,
        "{\n \"id\": \"a\",\n \"name\": \"b\"\n}",
    ]

    static let notPlain = [
        #"{"id": "a", "name": "b", "extra": 1}"#,
        #"{"id": "a", "name": "Z\u00fcrich"}"#,
        #"{"id": "a", "name": "Zürich"}"#,
        #"{"id": "a", "name": "b", "address": {"floor": "2"}}"#,
        #"{"id": "a", "name": null}"#,
        #"{"id": "a", "active": 1}"#,
        #"{"i\u0064": "a", "name": "b"}"#,
        #"["id", "a"]"#,
        #"{"id": "a", "name": "b""#,
    ]

    @Test func plainLocationsReadAsJSONDecoderReadsThem() throws {
        for text in Self.plain {
            var reader = JSONReader(bytes: Array(text.utf8))
            let plain = reader.plainLocation()
            let read = try #require(plain, "\(text)")
            #expect(reader.position == text.utf8.count)
            let reference = try JSONDecoder().decode(FileStoreDocument.Location.self, from: Data(text.utf8))
            let location = FileStoreDocument.Location(
                id: try #require(read.location.id), name: try #require(read.location.name), active: read.location.active,
                fulfillmentService: read.location.fulfillmentService, address: read.location.address)
            #expect(location == reference, "\(text)")
            #expect(read.location.extras.isEmpty)
        }
    }

    @Test func anythingElseIsLeftToTheGeneralReader() {
        for text in Self.notPlain {
            var reader = JSONReader(bytes: Array(text.utf8))
            let plain = reader.plainLocation()
            #expect(plain == nil, "\(text)")
            #expect(reader.position == 0)
        }
    }

    /// A plan's read passes over plain locations in the preflight; what it refuses, and how, is
    /// still the whole read's: a key given twice, in a location or its address, included.
    @Test(arguments: [
        #"{"id": "a", "name": "b", "name": "c"}"#,
        #"{"id": "a", "name": "b", "address": {"zip": "1", "zip": "2"}}"#,
        #"{"id": "a", "name": "b", "active": nullx}"#,
        #"{"id": "a", "name": "b", "active": truefalse}"#,
        #"{"id": "a", "name": "b"} {"#,
        #"{"id": "", "name": "b"}"#,
        #"{"id": "a"}"#,
    ])
    func aPlansReadRefusesAsTheWholeRead(location: String) {
        let bytes = Array((#"{"locations": [{"id": "z", "name": "y"}, "# + location + "]}").utf8)
        var whole: String?
        var deferred: String?
        do { _ = try FileStoreDocument.read(bytes) } catch { whole = error.description }
        do { _ = try FileStoreDocument.readDeferringQuantities(bytes) } catch { deferred = error.description }
        #expect(whole != nil)
        #expect(whole == deferred)
    }

    /// Where the id is: the same for both readers, as errors name it.
    @Test func theIDsPlaceIsWhereTheGeneralReaderPutsIt() {
        let text = #"{"locations": [{"id": "a", "name": "b"}, {"name": "c",  "id": "a"}]}"#
        #expect(throws: JSONInputError.self) { try FileStoreDocument.read(Array(text.utf8)) }
        do {
            _ = try FileStoreDocument.read(Array(text.utf8))
        } catch {
            #expect(error.description == "1:63: location id 'a' appears twice (first at 1:23)")
        }
    }
}
