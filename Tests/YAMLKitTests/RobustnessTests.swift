import Testing

@testable import YAMLKit

/// Deterministic randomness so a failure reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Robustness")
struct RobustnessTests {
    static let seeds = [
        "version: 1\nstores:\n  main: {platform: shopify, locations: [\"A\", 'B']}\n",
        "a: &x [1, {b: *x}]\nc: *x\n? [k]\n: |\n  text\n",
        "- !!str 1\n- >\n  folded\n- \"\\u00e9\\t\"\n---\nx\n",
    ]

    /// `text` with one to six bytes inserted, removed or replaced by bytes of `alphabet`.
    static func mutated(_ text: String, alphabet: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            let position = Int.random(in: 0...bytes.count, using: &rng)
            let byte = alphabet.randomElement(using: &rng)!
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes.insert(byte, at: position)
            case 1 where position < bytes.count: bytes.remove(at: position)
            default: if position < bytes.count { bytes[position] = byte }
            }
        }
        return bytes
    }

    @Test func mutatedInputsNeverCrash() {
        var rng = SplitMix64(state: 42)
        let alphabet = Array("[]{}:,-?&*!|>'\"#%@` \t\n\r\\.~".utf8) + [0x00, 0x80, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF, 0xFF]
        var outcomes = [0, 0]
        for round in 0..<3_000 {
            let bytes = Self.mutated(Self.seeds[round % Self.seeds.count], alphabet: alphabet, using: &rng)
            do {
                _ = try YAMLParser.parse(bytes, limits: YAMLLimits(maxAliasExpansion: 1_000, maxDepth: 16))
                outcomes[0] += 1
            } catch {
                #expect(error.mark.line >= 1 && error.mark.column >= 1)
                outcomes[1] += 1
            }
        }
        #expect(outcomes[0] > 0 && outcomes[1] > 0)
    }

    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var rng = SplitMix64(state: 7)
        let interesting: [UInt8] = [0x41, 0x0A, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x90, 0x8F]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...12, using: &rng)
            let bytes = (0..<length).map { _ in interesting.randomElement(using: &rng)! }
            let ours = bytes.withUnsafeBufferPointer { SourceText.firstInvalidUTF8($0) }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((ours == nil) == valid, "\(bytes.map { String($0, radix: 16) })")
            if let ours {
                #expect(String(validating: bytes[..<ours], as: UTF8.self) != nil)
            }
        }
    }

    @Test func utf8ValidationFastPathFindsLateErrors() {
        for offset in [0, 7, 8, 9, 15, 16, 63, 64, 1_000] {
            var bytes = [UInt8](repeating: 0x61, count: 1_024)
            bytes[offset] = 0xFF
            #expect(bytes.withUnsafeBufferPointer { SourceText.firstInvalidUTF8($0) } == offset)
        }
    }

    @Test func markAtOffset() {
        let bytes = Array("ab\nçd\n\ne".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            #expect(SourceText.mark(atOffset: 0, in: buffer) == Mark(line: 1, column: 1))
            #expect(SourceText.mark(atOffset: 3, in: buffer) == Mark(line: 2, column: 1))
            #expect(SourceText.mark(atOffset: 5, in: buffer) == Mark(line: 2, column: 2))
            #expect(SourceText.mark(atOffset: 8, in: buffer) == Mark(line: 4, column: 1))
            #expect(SourceText.mark(atOffset: 99, in: buffer) == Mark(line: 4, column: 2))
        }
    }
}
