import StockyardEngine
import StockyardTestSupport
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
            for id in ["a", "c"] { #expect(try deferred.quantities(of: id) == whole.quantities?[id].map(SKUNumbers.init)) }
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

/// The word-at-a-time scan of plain SKU objects against the plain byte-by-byte reading of the
/// same rules, on objects built to straddle every word boundary and on mutations of them.
@Suite struct PlainSKUScanTests {
    /// The rules of `JSONReader.plainSKUs`, one byte at a time: where the object ends and what it holds.
    static func reference(_ b: [UInt8], ascending: Bool) -> (end: Int, members: [([UInt8], Int)])? {
        var i = 0
        var members: [([UInt8], Int)] = []
        func space() { while i < b.count, [0x20, 0x0A, 0x0D, 0x09].contains(b[i]) { i += 1 } }
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        space()
        if i < b.count, b[i] == UInt8(ascii: "}") { return (i + 1, []) }
        while true {
            space()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var key: [UInt8] = []
            while i < b.count, b[i] != UInt8(ascii: "\"") {
                if b[i] < 0x20 || b[i] == UInt8(ascii: "\\") || b[i] >= 0x80 { return nil }
                key.append(b[i])
                i += 1
            }
            guard i < b.count else { return nil }
            if ascending, let last = members.last?.0, !last.lexicographicallyPrecedes(key) { return nil }
            i += 1
            space()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            space()
            guard i < b.count else { return nil }
            let negative = b[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            var digits: [UInt8] = []
            while i < b.count, (0x30...0x39).contains(b[i]), digits.count < 10 {
                digits.append(b[i])
                i += 1
            }
            guard !digits.isEmpty, digits.count == 1 || digits[0] != 0x30, i < b.count else { return nil }
            let magnitude = Int(String(decoding: digits, as: UTF8.self))!
            guard magnitude <= StockQuantity.limit else { return nil }
            members.append((key, negative ? -magnitude : magnitude))
            space()
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard b[i] == UInt8(ascii: "}") else { return nil }
            return (i + 1, members)
        }
    }

    static func scanned(_ b: [UInt8], ascending: Bool) -> (end: Int, members: [([UInt8], Int)])? {
        var members: [([UInt8], Int)] = []
        let end = b.withUnsafeBufferPointer { buffer in
            JSONReader.plainSKUs(buffer, from: 0, ascending: ascending) { key, value in members.append((Array(buffer[key]), value)) }
        }
        return end.map { ($0, members) }
    }

    static func same(_ a: (end: Int, members: [([UInt8], Int)])?, _ b: (end: Int, members: [([UInt8], Int)])?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.end == b.end && a.members.count == b.members.count && zip(a.members, b.members).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    @Test func wordScanAgreesWithTheByteByByteRules() {
        var rng = SeededGenerator(seed: 29)
        // Keys of 0 to 20 bytes, so quotes and odd bytes fall at every offset in a word.
        let keyBytes = Array("ABCxyz-_.019 ".utf8)
        let odd: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF, 0x7B, 0x7D, 0x3A, 0x2C, 0x2D, 0x30]
        var agreed = (accepted: 0, refused: 0)
        for round in 0..<6_000 {
            var keys = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                (0..<Int.random(in: 0...20, using: &rng)).map { _ in keyBytes.randomElement(using: &rng)! }
            }
            if round.isMultiple(of: 2) { keys.sort { $0.lexicographicallyPrecedes($1) } }
            var text: [UInt8] = Array("{".utf8)
            for (n, key) in keys.enumerated() {
                text += Array(n == 0 ? "\n  \"".utf8 : ",\n  \"".utf8) + key + Array("\": \(Int.random(in: -999_999...999_999, using: &rng))".utf8)
            }
            text += Array("\n}".utf8)
            if round % 3 == 1 {
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    text[Int.random(in: 0..<text.count, using: &rng)] = odd.randomElement(using: &rng)!
                }
            }
            for ascending in [true, false] {
                let expected = Self.reference(text, ascending: ascending)
                #expect(Self.same(Self.scanned(text, ascending: ascending), expected), "\(text)")
                if expected == nil { agreed.refused += 1 } else { agreed.accepted += 1 }
            }
        }
        #expect(agreed.accepted > 1_000 && agreed.refused > 1_000)
    }

    /// The vector scan (each way this processor has) against the same rules, keys in any order but
    /// none twice, on objects of many 64-byte blocks: whitespace runs across blocks, keys of up to
    /// 40 bytes, in order or not, the same key next to itself or far from it, numbers of up to 11
    /// digits, the object anywhere in its buffer (its end near the buffer's end, or past it).
    @Test func vectorScanAgreesWithTheByteByByteRules() {
        var rng = SeededGenerator(seed: 31)
        let keyBytes = Array("ABCxyz-_.019 :,}{".utf8)
        let spaces: [UInt8] = [0x20, 0x0A, 0x0D, 0x09]
        let odd: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF, 0x7B, 0x7D, 0x3A, 0x2C, 0x2D, 0x30, 0x20, 0x2B, 0x2E, 0x65]
        let numbers = [
            "0", "-0", "7", "-12", "485", "999999999", "-999999999", "1000000000", "-1000000000", "1000000001", "9999999999", "12345678901", "01", "-01", "00",
        ]
        var ways: [Int32: (accepted: Int, refused: Int)] = [:]
        func space() -> [UInt8] {
            let count = Int.random(in: 0...10, using: &rng) == 0 ? Int.random(in: 0...80, using: &rng) : Int.random(in: 0...3, using: &rng)
            return (0..<count).map { _ in spaces.randomElement(using: &rng)! }
        }
        for round in 0..<4_000 {
            var keys = (0..<Int.random(in: 1...40, using: &rng)).map { _ in
                (0..<Int.random(in: 0...40, using: &rng)).map { _ in keyBytes.randomElement(using: &rng)! }
            }
            if round % 4 != 3 { keys.sort { $0.lexicographicallyPrecedes($1) } }
            if round % 5 == 4, keys.count > 1 { keys[round % 10 == 4 ? 1 : keys.count - 1] = keys[0] }
            var object: [UInt8] = Array("{".utf8)
            for (n, key) in keys.enumerated() {
                let number =
                    Int.random(in: 0...60, using: &rng) == 0
                    ? numbers.randomElement(using: &rng)! : String(Int.random(in: -99_999...99_999, using: &rng))
                object += (n == 0 ? [] : Array(",".utf8)) + space() + [0x22] + key + [0x22] + space() + [0x3A] + space() + Array(number.utf8) + space()
            }
            object += Array("}".utf8)
            if round % 3 == 1 {
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    object[Int.random(in: 0..<object.count, using: &rng)] = odd.randomElement(using: &rng)!
                }
            }
            let prefix = (0..<Int.random(in: 0...70, using: &rng)).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }
            var text = prefix + object + (0..<Int.random(in: 0...70, using: &rng)).map { _ in UInt8.random(in: 0...0xFF, using: &rng) }
            if round % 7 == 6 { text.removeLast(Int.random(in: 0...min(text.count - prefix.count, 70), using: &rng)) }
            // Keys in any order, none twice.
            let expected = Self.reference(Array(text[prefix.count...]), ascending: false).flatMap { read in
                Set(read.members.map(\.0)).count == read.members.count ? read.end + prefix.count : nil
            }
            let swift = text.withUnsafeBufferPointer { JSONReader.swiftScan($0, from: prefix.count) }
            #expect(swift == expected, "Swift: \(String(decoding: object, as: UTF8.self))")
            for way: Int32 in [0, 1, 2, -1] {
                let end = text.withUnsafeBufferPointer { JSONReader.scanPlainSKUs($0, from: prefix.count, way: way) }
                #expect(end == expected, "way \(way): \(String(decoding: object, as: UTF8.self))")
                ways[way, default: (0, 0)].accepted += expected == nil ? 0 : 1
                ways[way, default: (0, 0)].refused += expected == nil ? 1 : 0
            }
        }
        for (way, agreed) in ways { #expect(agreed.accepted > 1_000 && agreed.refused > 1_000, "way \(way): \(agreed)") }
    }

    /// Objects broken in one place each (or not), with the break at every offset in a 64-byte
    /// block: each way of the vector scan refuses (or accepts) them as the rules do.
    @Test(arguments: [
        (#"{"a": -"b": 1}"#, false), (#"{"a": 1 2}"#, false), (#"{"a": 1, : 2}"#, false), (#"{"a": 1,}"#, false),
        (#"{"a" "b": 1}"#, false), (#"{"a": 1 "b": 2}"#, false), (#"{, "a": 1}"#, false), (#"{"a": - 1}"#, false),
        (#"{"a": 1-}"#, false), (#"{"a":: 1}"#, false), (#"{"a": 1,, "b": 2}"#, false), (#"{"a": 01}"#, false),
        (#"{"a": 1}"#, true), (#"{"a": -0}"#, true), (#"{"b":1,"a":2}"#, true), (#"{"a":1,"a":2}"#, false), (#"{"a": "b"}"#, false),
        (#"{"a": 1, "b": 2, "a": 3}"#, false), (#"{"a": 1}}"#, true), (#"{"a": 1.0}"#, false), (#"{"a": +1}"#, false), (#"{"a": 1e3}"#, false),
    ])
    func vectorScanHoldsEachRule(object: String, plain: Bool) {
        for padding in 0..<70 {
            // Whitespace after the `{` moves the break through a block; text after the object stays.
            var text = Array(object.utf8)
            text.insert(contentsOf: [UInt8](repeating: 0x20, count: padding), at: 1)
            text += Array(#", "tail": true}"#.utf8)
            let expected = Self.reference(text, ascending: false).flatMap { read in
                Set(read.members.map(\.0)).count == read.members.count ? read.end : nil
            }
            #expect((expected != nil) == plain, "\(object)")
            #expect(text.withUnsafeBufferPointer { JSONReader.swiftScan($0, from: 0) } == expected, "Swift: \(object)")
            for way: Int32 in [0, 1, 2, -1] {
                let end = text.withUnsafeBufferPointer { JSONReader.scanPlainSKUs($0, from: 0, way: way) }
                #expect(end == expected, "way \(way), \(padding) spaces: \(object)")
            }
        }
    }

    @Test func keysAreComparedAsBytes() {
        let pairs: [(String, String, Bool)] = [
            ("SKU-00001", "SKU-00002", true), ("SKU-00002", "SKU-00001", false), ("SKU-0000", "SKU-00001", true),
            ("SKU-00001", "SKU-00001", false), ("ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOQ", true), ("ABCDEFGHZ", "ABCDEFGHA", false),
            ("", "A", true), ("A", "", false), ("ABCDEFGH", "ABCDEFGH", false), ("ABCDEFGH", "ABCDEFGHI", true),
        ]
        for (a, b, ascending) in pairs {
            let bytes = Array((a + b).utf8)
            let ok = bytes.withUnsafeBufferPointer { JSONReader.ascending($0, 0..<a.utf8.count, a.utf8.count..<bytes.count) }
            #expect(ok == ascending, "\(a) < \(b)")
        }
    }
}
