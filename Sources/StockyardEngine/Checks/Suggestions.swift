/// "Did you mean" suggestions by edit distance.
public enum Suggestions {
    /// The candidates nearest to `word`, closest first, within a distance that still looks like a typo.
    public static func nearest(to word: String, in candidates: [String], limit: Int = 3) -> [String] {
        let target = Array(word.lowercased())
        let allowed = max(2, target.count / 3)
        var scored: [(Int, String)] = []
        for candidate in candidates {
            let c = Array(candidate.lowercased())
            if abs(c.count - target.count) > allowed { continue }
            let d = distance(target, c, cap: allowed)
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
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
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
