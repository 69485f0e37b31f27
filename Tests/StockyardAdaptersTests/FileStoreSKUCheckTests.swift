import StockyardEngine
import Testing

@testable import StockyardAdapters

/// A plan's read of a store file checks each location's SKUs in one pass, and the JSON preflight
/// passes over the SKU objects that pass was sure of (plain keys in ascending order, plain whole
/// numbers). Whatever the file, it refuses exactly what the whole read refuses, with the same words.
@Suite struct FileStoreSKUCheckTests {
    /// A store file of one location whose SKUs are `members` (`"key": value` texts), then `tail`.
    static func file(_ members: [String], tail: String = "") -> [UInt8] {
        Array(
            (#"{"locations": [{"id": "a", "name": "b"}, {"id": "c", "name": "d"}], "quantities": {"a": {"#
                + members.joined(separator: ", ") + #"}, "c": {"S-1": 1}}"# + tail + "}").utf8)
    }

    static func skus(_ count: Int) -> [String] { (0..<count).map { "\"SKU-\(String(1000 + $0))\": \($0)" } }

    /// Both reads refuse, with the same message; nil when both accept.
    static func refusal(_ bytes: [UInt8]) -> String? {
        var whole: String?
        var deferred: String?
        do { _ = try FileStoreDocument.read(bytes) } catch { whole = error.description }
        do { _ = try FileStoreDocument.readDeferringQuantities(bytes) } catch { deferred = error.description }
        #expect(whole == deferred)
        return whole
    }

    @Test(arguments: [1, 3, 40, 300])
    func repeatedKeysInAscendingObjectsAreFound(size: Int) {
        let sorted = Self.skus(size)
        // The last key again, an earlier one (order broken), one spelled with an escape, and an empty key twice.
        #expect(Self.refusal(Self.file(sorted + [sorted[size - 1]]))?.contains("appears twice in one object") == true)
        #expect(Self.refusal(Self.file(sorted + [sorted[0]]))?.contains("appears twice in one object") == true)
        #expect(Self.refusal(Self.file(sorted + [#""SKU-\u0031000": 1"#]))?.contains("appears twice in one object") == true)
        #expect(Self.refusal(Self.file([#""": 1"#, #""": 2"#]))?.contains("appears twice in one object") == true)
        #expect(Self.refusal(Self.file(sorted)) == nil)
        #expect(Self.refusal(Self.file(sorted.reversed())) == nil)
    }

    @Test(arguments: [
        ([#""A": 1"#, #""B": 1.5"#], ""),
        ([#""A": 1"#, #""B": 01"#], ""),
        ([#""A": 1"#, #""B": 12345678901"#], ""),
        ([#""A": 1"#, #""B": -"#], ""),
        ([#""A": 1"#, #""B" 2"#], ""),
        ([#""A": 1"#, #""B": 2,"#], ""),
        ([#""A": 1"#, "\"B\u{01}\": 2"], ""),
        ([#""A": 1"#, #""B": 2"#], #", "x": [1, }"#),
        ([#""A": 1"#, #""B": 2"#], #", "x": "\q""#),
        ([#""A": 1"#, #""B": 2"#], #", "quantities": {}"#),
        ([#""A": 1"#, #""B": 2"#], #", "requests": 7, "x": tru"#),
        ([#""A": 1"#, #""A": 2"#], #", "requests": 7"#),
    ])
    func malformedFilesAreRefusedAlike(members: [String], tail: String) {
        #expect(Self.refusal(Self.file(members, tail: tail)) != nil)
    }

    /// The numbers a plan reads are the whole read's, whichever way each location's SKUs were checked.
    @Test func quantitiesAreTheWholeReadsOnes() throws {
        for members in [Self.skus(50), Self.skus(50).reversed(), [#""Z\u00e9": 3"#, #""A": -1000000000"#], ["\"é\": 1000000000"], []] {
            let bytes = Self.file(members)
            let whole = try FileStoreDocument.read(bytes)
            let (_, deferred) = try FileStoreDocument.readDeferringQuantities(bytes)
            for id in ["a", "c"] { #expect(try deferred.quantities(of: id) == whole.quantities?[id]) }
        }
    }

    /// A region said to be checked is passed over only where a value starts: one that is not
    /// (inside a string here) cannot hide an error from the preflight.
    @Test func checkedRegionsOutsideValuesAreScannedAsUsual() {
        let text = Array(#"{"a": "x", "b": tru}"#.utf8)
        #expect(throws: JSONInputError.self) { try JSONPreflight.check(text, skipping: [7..<19]) }
        #expect(throws: Never.self) { try JSONPreflight.check(Array(#"{"a": "x", "b": true}"#.utf8), skipping: [7..<19]) }
    }
}
