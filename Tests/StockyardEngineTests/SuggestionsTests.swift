import Testing

@testable import StockyardEngine

/// "Did you mean" compares ASCII words byte by byte in a band around the diagonal; it must suggest
/// exactly what the plain edit distance over lower-cased characters suggests.
@Suite struct SuggestionsTests {
    /// Levenshtein distance over characters, the whole table: the definition the fast paths keep.
    static func reference(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    static func referenceNearest(_ word: String, in candidates: [String], limit: Int) -> [String] {
        let target = Array(word.lowercased())
        let allowed = max(2, target.count / 3)
        let scored = candidates.map { (reference(target, Array($0.lowercased())), $0) }.filter { $0.0 <= allowed }
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(limit).map(\.1)
    }

    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        mutating func word(from letters: [Character]) -> String {
            String((0..<(1 + next(9))).map { _ in letters[next(letters.count)] })
        }
    }

    @Test func bandedByteDistanceMatchesTheFullTable() {
        var random = Random(state: 11)
        var rows = Suggestions.DistanceRows()
        for _ in 0..<3_000 {
            let a = Array(random.word(from: ["a", "b", "c", "-", "1"]).utf8)
            let b = Array(random.word(from: ["a", "b", "c", "-", "1"]).utf8)
            let cap = random.next(4)
            let expected = Self.reference(a.map { Character(Unicode.Scalar($0)) }, b.map { Character(Unicode.Scalar($0)) })
            let fast = a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { rows.distance(a, $0, cap: cap) } }
            if expected <= cap {
                #expect(fast == expected, "\(a) \(b) cap \(cap)")
            } else {
                #expect(fast > cap, "\(a) \(b) cap \(cap)")
            }
        }
    }

    /// Upper case, non-ASCII letters, combining accents and CR LF (one character of two bytes); and
    /// ASCII keys alone, where whole candidates are passed over on their letters: bytes 64 apart
    /// ('0' and 'p', 'a' and '!') share a bit of the signature, and must not hide a near key.
    @Test(arguments: [
        (UInt64(5), ["a", "B", "c", "é", "e\u{301}", "\r\n", "w", "0", "1"] as [Character], 30),
        (UInt64(23), ["w", "0", "p", "7", "q", "a", "!", "-", "W"] as [Character], 60),
    ])
    func nearestMatchesThePlainDefinition(seed: UInt64, letters: [Character], listSize: Int) {
        var random = Random(state: seed)
        for _ in 0..<250 {
            let candidates = (0..<listSize).map { _ in random.word(from: letters) }
            let word = random.word(from: letters)
            #expect(Suggestions.nearest(to: word, in: candidates, limit: 3) == Self.referenceNearest(word, in: candidates, limit: 3))
            var budget = Suggestions.Budget { candidates }
            #expect(budget.nearest(to: word, limit: 2) == Self.referenceNearest(word, in: candidates, limit: 2))
        }
    }
}
