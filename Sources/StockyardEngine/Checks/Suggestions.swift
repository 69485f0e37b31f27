/// "Did you mean" suggestions by edit distance.
public enum Suggestions {
    /// The candidates nearest to `word`, closest first, within a distance that still looks like a typo.
    public static func nearest(to word: String, in candidates: [String], limit: Int = 3) -> [String] {
        nearest(to: word, in: candidates, lowered: candidates.map(Lowered.init), limit: limit)
    }

    /// A word lower-cased as `lowercased()` does, kept as bytes when it is ASCII (without CR, which
    /// with LF makes one character): there each byte is one character, and comparing bytes gives the
    /// same distances as comparing `Character`s, several times faster. Otherwise its characters.
    struct Lowered {
        let bytes: [UInt8]?
        let characters: [Character]?

        init(_ word: String) {
            if word.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
                bytes = word.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                characters = nil
            } else {
                bytes = nil
                characters = Array(word.lowercased())
            }
        }

        var count: Int { bytes?.count ?? characters!.count }
        var asCharacters: [Character] { characters ?? bytes!.map { Character(Unicode.Scalar($0)) } }
    }

    /// Suggestions for many words against one long list in one run: every unresolved warehouse
    /// of a config against its warehouse keys, every missing location against a store's names.
    /// Each suggestion is a pass over the list, so a run makes at most `limit` of them: with a typo
    /// at every thousandth of 100,000 connections, a suggestion for each would cost typos × keys,
    /// quadratic (seconds, measured), for advice nobody reads past the first screen. Past the
    /// limit, messages simply carry no suggestion. The list is lower-cased once, not per word.
    public struct Budget {
        public static let defaultLimit = 10
        public private(set) var left: Int
        /// The list, built on the first suggestion: a run without typos never pays for it.
        private let list: () -> [String]
        private var prepared: (candidates: [String], lowered: [Lowered])?

        public init(limit: Int = Budget.defaultLimit, _ list: @escaping () -> [String]) {
            self.list = list
            left = limit
        }

        /// As `Suggestions.nearest`; nil once the budget is spent.
        public mutating func nearest(to word: String, limit: Int = 3) -> [String]? {
            guard left > 0 else { return nil }
            left -= 1
            if prepared == nil {
                let candidates = list()
                prepared = (candidates, candidates.map(Lowered.init))
            }
            return Suggestions.nearest(to: word, in: prepared!.candidates, lowered: prepared!.lowered, limit: limit)
        }

        /// As `Suggestions.didYouMean`; "" once the budget is spent.
        public mutating func didYouMean(_ word: String) -> String {
            guard let best = nearest(to: word, limit: 1)?.first else { return "" }
            return "; did you mean '\(best)'?"
        }
    }

    static func nearest(to word: String, in candidates: [String], lowered: [Lowered], limit: Int) -> [String] {
        let target = Lowered(word)
        let targetCharacters = target.asCharacters
        let allowed = max(2, target.count / 3)
        var scored: [(Int, String)] = []
        var rows = DistanceRows()
        for (candidate, c) in zip(candidates, lowered) {
            if abs(c.count - target.count) > allowed { continue }
            let d: Int
            if let a = target.bytes, let b = c.bytes {
                d = rows.distance(a, b, cap: allowed)
            } else {
                d = rows.distance(targetCharacters, c.asCharacters, cap: allowed)
            }
            if d <= allowed { scored.append((d, candidate)) }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return scored.prefix(limit).map(\.1)
    }

    /// The best single suggestion, formatted as " (did you mean 'x'?)", or "" when there is none.
    public static func didYouMean(_ word: String, in candidates: [String]) -> String {
        guard let best = nearest(to: word, in: candidates, limit: 1).first else { return "" }
        return "; did you mean '\(best)'?"
    }

    /// For a short closed list of words: the candidate sharing the longest run of letters in order
    /// (a longest common subsequence of at least 4), when edit distance finds nothing near.
    public static func closestByLetters(_ word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased())
        var best: (Int, String)?
        for candidate in candidates {
            let c = Array(candidate.lowercased())
            var row = [Int](repeating: 0, count: c.count + 1)
            for x in w {
                var diagonal = 0
                for j in 1...max(1, c.count) where !c.isEmpty {
                    let up = row[j]
                    row[j] = x == c[j - 1] ? diagonal + 1 : max(row[j], row[j - 1])
                    diagonal = up
                }
            }
            let score = row[c.count]
            if score >= 4, best == nil || score > best!.0 { best = (score, candidate) }
        }
        return best?.1
    }

    /// Levenshtein distance, giving up early once every path exceeds `cap`.
    static func distance(_ a: [Character], _ b: [Character], cap: Int) -> Int {
        var rows = DistanceRows()
        return rows.distance(a, b, cap: cap)
    }

    /// The two rows of the distance table, kept from one candidate to the next: a suggestion
    /// compares a word with every warehouse key, and two arrays per key showed in profiles.
    struct DistanceRows {
        var previous: [Int] = []
        var current: [Int] = []

        /// Levenshtein distance, giving up early once every path exceeds `cap`.
        mutating func distance<Element: Equatable>(_ a: [Element], _ b: [Element], cap: Int) -> Int {
            if a.isEmpty { return b.count }
            if b.isEmpty { return a.count }
            previous.removeAll(keepingCapacity: true)
            previous.append(contentsOf: 0...b.count)
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: repeatElement(0, count: b.count + 1))
            for i in 1...a.count {
                current[0] = i
                var rowMin = current[0]
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    rowMin = min(rowMin, current[j])
                }
                if rowMin > cap { return cap + 1 }
                swap(&previous, &current)
            }
            return previous[b.count]
        }
    }
}
