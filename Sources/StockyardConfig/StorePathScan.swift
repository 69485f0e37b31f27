import Foundation

/// The `path:` values a config's text likely gives its `file` stores, found by looking at its lines
/// rather than parsing it: for reading those files ahead while the config itself is parsed, when
/// nothing else names them yet (a first plan, with no state). A guess, used only as one: a line
/// that only looks like a store's `path:` (inside a block scalar, say) names a file that may be
/// read ahead (if the trust policy allows its place) and is then not used; a value written in a
/// way this does not read (escapes, a flow mapping, an anchor) is left out, and its file is read
/// when the store is.
public enum StorePathScan {
    /// Each line whose first word is `path:` with a value on the same line: plain, or quoted
    /// without escapes (single quotes without a doubled quote, double quotes without a backslash).
    /// In the order found, each once.
    public static func paths(in text: [UInt8]) -> [String] {
        var found: [String] = []
        var seen = Set<String>()
        let key = Array("path:".utf8)
        text.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            let count = bytes.count
            var lineStart = 0
            while lineStart < count {
                // The line's end found by `memchr`: a config of 100,000 connections has 400,000 lines.
                let lineEnd = memchr(base + lineStart, 0x0A, count - lineStart).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? count
                var i = lineStart
                while i < lineEnd, bytes[i] == 0x20 { i += 1 }
                if lineEnd - i > key.count, bytes[i] == UInt8(ascii: "p"), bytes[i..<(i + key.count)].elementsEqual(key),
                    let value = value(text, from: i + key.count, to: lineEnd), seen.insert(value).inserted
                {
                    found.append(value)
                }
                lineStart = lineEnd + 1
            }
        }
        return found
    }

    /// The scalar after `path:` on its line, if it is one this reads.
    private static func value(_ text: [UInt8], from start: Int, to end: Int) -> String? {
        guard start < end, text[start] == 0x20 || text[start] == 0x09 else { return nil }
        var i = start
        while i < end, text[i] == 0x20 || text[i] == 0x09 { i += 1 }
        var last = end
        while last > i, text[last - 1] == 0x20 || text[last - 1] == 0x09 || text[last - 1] == 0x0D { last -= 1 }
        guard i < last else { return nil }
        let first = text[i]
        if first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") {
            // Quoted: the closing quote ends it, and only a comment may follow.
            guard let close = text[(i + 1)..<last].firstIndex(of: first) else { return nil }
            let inner = text[(i + 1)..<close]
            guard !inner.isEmpty, !inner.contains(UInt8(ascii: "\\")) || first == UInt8(ascii: "'") else { return nil }
            if first == UInt8(ascii: "'"), close + 1 < last, text[close + 1] == UInt8(ascii: "'") { return nil }
            var after = close + 1
            while after < last, text[after] == 0x20 || text[after] == 0x09 { after += 1 }
            guard after == last || text[after] == UInt8(ascii: "#") else { return nil }
            return String(decoding: inner, as: UTF8.self)
        }
        // Plain: up to a comment (` #`); none of YAML's indicators at its start.
        guard !"&*!|>%@`{[,]}#".utf8.contains(first) else { return nil }
        var stop = i
        while stop < last {
            if text[stop] == UInt8(ascii: "#"), text[stop - 1] == 0x20 || text[stop - 1] == 0x09 { break }
            if text[stop] == UInt8(ascii: ":"), stop + 1 == last || text[stop + 1] == 0x20 { return nil }
            stop += 1
        }
        while stop > i, text[stop - 1] == 0x20 || text[stop - 1] == 0x09 { stop -= 1 }
        return stop > i ? String(decoding: text[i..<stop], as: UTF8.self) : nil
    }
}
