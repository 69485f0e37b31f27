/// "Did you mean" suggestions by edit distance.
public enum Suggestions {
    /// The candidates nearest to `word`, closest first, within a distance that still looks like a typo.
    public static func nearest(to word: String, in candidates: [String], limit: Int = 3) -> [String] {
        nearest(to: word, in: LoweredCandidates(candidates), limit: limit)
    }

    static func nearest(to word: String, in list: LoweredCandidates, limit: Int) -> [String] {
        let target = Lowered(word)
        let targetCharacters = target.asCharacters
        let allowed = max(2, target.count / 3)
        var scored: [(Int, String)] = []
        var rows = DistanceRows()
        var counts = ByteCounts(target.bytes ?? [])
        let targetSignature = LoweredCandidates.signature(target.bytes ?? [])
        list.bytes.withUnsafeBufferPointer { all in
            for i in list.words.indices {
                let d: Int
                if let a = target.bytes, let range = list.asciiRange(i) {
                    guard range.count - a.count <= allowed, a.count - range.count <= allowed else { continue }
                    // Each kind of byte one word has and the other lacks costs at least one edit.
                    let signature = list.signatures[i]
                    if (targetSignature & ~signature).nonzeroBitCount > allowed || (signature & ~targetSignature).nonzeroBitCount > allowed {
                        continue
                    }
                    let b = UnsafeBufferPointer(rebasing: all[range])
                    if counts.lowerBound(b) > allowed { continue }
                    d = a.withUnsafeBufferPointer { rows.distance($0, b, cap: allowed) }
                } else {
                    let c = Lowered(list.words[i]).asCharacters
                    if abs(c.count - target.count) > allowed { continue }
                    d = rows.distance(targetCharacters, c, cap: allowed)
                }
                if d <= allowed { scored.append((d, list.words[i])) }
            }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return scored.prefix(limit).map(\.1)
    }

    /// The candidates lower-cased once, the ASCII ones (without CR) as bytes end to end: a run
    /// with typos compares each of them with every warehouse key, and lower-casing the keys for
    /// each typo again was most of the time of a suggestion.
    struct LoweredCandidates {
        let words: [String]
        let bytes: [UInt8]
        /// Where word i's bytes start in `bytes`, and their count (-1 for a word that is not ASCII).
        private let starts: [Int32]
        private let counts: [Int32]
        /// Which bytes word i has, folded to 64 bits (`signature(_:)`).
        let signatures: [UInt64]

        init(_ words: [String]) {
            self.words = words
            var bytes: [UInt8] = []
            var starts: [Int32] = []
            var counts: [Int32] = []
            var signatures: [UInt64] = []
            starts.reserveCapacity(words.count)
            counts.reserveCapacity(words.count)
            signatures.reserveCapacity(words.count)
            var scratch: [UInt8] = []
            for word in words {
                starts.append(Int32(clamping: bytes.count))
                if Lowered.lowerASCII(word, into: &scratch), bytes.count + scratch.count < Int(Int32.max) {
                    bytes += scratch
                    counts.append(Int32(scratch.count))
                    signatures.append(Self.signature(scratch))
                } else {
                    counts.append(-1)
                    signatures.append(0)
                }
            }
            self.bytes = bytes
            self.starts = starts
            self.counts = counts
            self.signatures = signatures
        }

        /// One bit for each byte value present, values 64 apart sharing a bit: a word's set bits
        /// that another's lacks each stand for at least one byte that is not in the other.
        static func signature(_ bytes: [UInt8]) -> UInt64 {
            var bits: UInt64 = 0
            for byte in bytes { bits |= 1 << UInt64(byte & 63) }
            return bits
        }

        /// Where word i's lower-cased bytes are, when it is ASCII.
        func asciiRange(_ i: Int) -> Range<Int>? {
            counts[i] < 0 ? nil : Int(starts[i])..<Int(starts[i] + counts[i])
        }
    }

    /// How often each byte occurs in the target, for a bound on the distance that costs one pass
    /// over a candidate: an edit removes at most one of the target's bytes that the candidate
    /// lacks and at most one of the candidate's bytes that the target lacks. Most warehouse keys
    /// are told apart from a typo by it, without filling the distance table (which was most of
    /// the time of a validate with 100 typos at 100,000 connections).
    struct ByteCounts {
        private var counts = [Int32](repeating: 0, count: 256)
        private let total: Int

        init(_ target: [UInt8]) {
            for byte in target { counts[Int(byte)] += 1 }
            total = target.count
        }

        /// At most the edit distance from the target to `candidate`.
        mutating func lowerBound(_ candidate: UnsafeBufferPointer<UInt8>) -> Int {
            counts.withUnsafeMutableBufferPointer { counts in
                var unmatched = 0  // bytes of the candidate beyond the target's count of them
                for byte in candidate {
                    counts[Int(byte)] -= 1
                    if counts[Int(byte)] < 0 { unmatched += 1 }
                }
                for byte in candidate { counts[Int(byte)] += 1 }
                let missing = total - (candidate.count - unmatched)  // bytes of the target the candidate lacks
                return max(missing, unmatched)
            }
        }
    }

    /// A word lower-cased as `lowercased()` does, kept as bytes when it is ASCII (without CR, which
    /// with LF makes one character): there each byte is one character, and comparing bytes gives the
    /// same distances as comparing `Character`s, several times faster. Otherwise its characters.
    struct Lowered {
        let bytes: [UInt8]?
        let characters: [Character]?

        init(_ word: String) {
            var ascii: [UInt8] = []
            if Self.lowerASCII(word, into: &ascii) {
                bytes = ascii
                characters = nil
            } else {
                bytes = nil
                characters = Array(word.lowercased())
            }
        }

        /// Puts the word's bytes, lower-cased, into `bytes` and returns true when it is ASCII
        /// without CR; returns false otherwise.
        static func lowerASCII(_ word: String, into bytes: inout [UInt8]) -> Bool {
            bytes.removeAll(keepingCapacity: true)
            for byte in word.utf8 {
                guard byte < 0x80, byte != 0x0D else { return false }
                bytes.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            }
            return true
        }

        var count: Int { bytes?.count ?? characters!.count }
        var asCharacters: [Character] { characters ?? bytes!.map { Character(Unicode.Scalar($0)) } }
    }

    /// Suggestions for many words against one long list in one run: every unresolved warehouse
    /// of a config against its warehouse keys, every missing location against a store's names.
    /// Each suggestion is a pass over the list, so a run makes at most `limit` of them: with a typo
    /// at every thousandth of 100,000 connections, a suggestion for each would cost typos × keys,
    /// quadratic (seconds, measured), for advice nobody reads past the first screen. Past the
    /// limit, messages simply carry no suggestion.
    public struct Budget {
        public static let defaultLimit = 10
        public private(set) var left: Int
        /// The list, built on the first suggestion: a run without typos never pays for it.
        private let list: () -> [String]
        private var candidates: LoweredCandidates?

        public init(limit: Int = Budget.defaultLimit, _ list: @escaping () -> [String]) {
            self.list = list
            left = limit
        }

        /// As `Suggestions.nearest`; nil once the budget is spent.
        public mutating func nearest(to word: String, limit: Int = 3) -> [String]? {
            guard left > 0 else { return nil }
            left -= 1
            if candidates == nil { candidates = LoweredCandidates(list()) }
            return Suggestions.nearest(to: word, in: candidates!, limit: limit)
        }

        /// As `Suggestions.didYouMean`; "" once the budget is spent.
        public mutating func didYouMean(_ word: String) -> String {
            guard let best = nearest(to: word, limit: 1)?.first else { return "" }
            return "; did you mean '\(best)'?"
        }
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

        /// As the generic `distance` wherever the distance is at most `cap` (beyond it, any value
        /// above `cap`), for bytes: only the band of cells within `cap` of the diagonal, which are
        /// the only ones that can stay within `cap`, and without bounds checks.
        mutating func distance(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, cap: Int) -> Int {
            let n = a.count
            let m = b.count
            if n == 0 { return m }
            if m == 0 { return n }
            let big = cap + 1
            if abs(n - m) > cap { return big }
            if previous.count < m + 2 {
                previous = [Int](repeating: 0, count: 2 * (m + 2))
                current = previous
            }
            return previous.withUnsafeMutableBufferPointer { previousRow in
                current.withUnsafeMutableBufferPointer { currentRow in
                    var up = previousRow.baseAddress!
                    var row = currentRow.baseAddress!
                    for j in 0...m { up[j] = min(j, big) }
                    for i in 1...n {
                        let lo = max(1, i - cap)
                        let hi = min(m, i + cap)
                        row[lo - 1] = lo == 1 ? min(i, big) : big
                        var rowMin = row[lo - 1]
                        let x = a[i - 1]
                        for j in lo...hi {
                            var v = up[j - 1] + (x == b[j - 1] ? 0 : 1)
                            v = min(v, up[j] + 1, row[j - 1] + 1, big)
                            row[j] = v
                            rowMin = min(rowMin, v)
                        }
                        if hi < m { row[hi + 1] = big }
                        if rowMin > cap { return big }
                        swap(&up, &row)
                    }
                    return min(up[m], big)
                }
            }
        }

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
