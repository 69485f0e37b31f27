import StockyardEngine
import Testing

/// Keys in ascending byte order are known distinct by comparing each with the one before; any
/// key out of that order, or spelled with an escape, is looked up among all the keys before it.
@Suite struct JSONPreflightKeyOrderTests {
    static func object(_ keys: [String]) -> [UInt8] {
        Array(("{" + keys.map { "\"\($0)\": 0" }.joined(separator: ", ") + "}").utf8)
    }

    @Test(arguments: [2, 16, 17, 100])
    func repeatedKeysAfterAscendingOnesAreFound(size: Int) throws {
        let ascending = (0..<size).map { "K" + String(10_000 + $0) }
        try JSONPreflight.check(Self.object(ascending))
        try JSONPreflight.check(Self.object(ascending.reversed()))
        try JSONPreflight.check(Self.object(["", "a", "ab", "b"]))
        for repeated in [ascending[0], ascending[size / 2], ascending[size - 1]] {
            #expect(throws: JSONInputError.self) { try JSONPreflight.check(Self.object(ascending + [repeated])) }
            // After more ascending keys, the order broken once, then the repeat.
            #expect(throws: JSONInputError.self) { try JSONPreflight.check(Self.object(ascending + ["K0", "K9", repeated])) }
        }
        #expect(throws: JSONInputError.self) { try JSONPreflight.check(Self.object(ascending + [#"K\u0031"# + ascending[0].dropFirst(2)])) }
        #expect(throws: JSONInputError.self) { try JSONPreflight.check(Self.object(["", ""])) }
        #expect(throws: JSONInputError.self) { try JSONPreflight.check(Self.object(["a", "ab", "ab"])) }
    }
}
