/// The scalar keys of every open mapping, end to end, for duplicate checks. Keys are compared as
/// strings are, so "é" written precomposed or as "e" and an accent is one key, and so are "K"
/// and the Kelvin sign; but two ASCII keys (nearly every key) are equal only when their bytes
/// are, so those are compared as bytes, without making strings.
struct KeyIndex {
    private var entries: [Entry] = []

    var count: Int { entries.count }

    private struct Entry {
        let start: Int32
        let count: Int32
        let mark: Mark
        let isASCII: Bool
        /// Set once the mapping outgrows the linear scan.
        var hash: Int
    }

    /// Forgets the keys of a mapping that closed.
    mutating func removeLast(from first: Int) {
        entries.removeLast(entries.count - first)
    }

    /// Adds `key` (a scalar whose text is in `text`) to the mapping whose keys start at
    /// `firstKey`, or throws when the mapping already has it. `table` is that mapping's hash
    /// table, built once it outgrows the linear scan.
    mutating func insert(_ key: YAMLDocument.Node, text: [UInt8], table: inout [Int32], firstKey: Int) throws(YAMLError) {
        let duplicate: Entry? = text.withUnsafeBufferPointer { text in
            let bytes = UnsafeBufferPointer(rebasing: text[Int(key.start)..<Int(key.start) + Int(key.count)])
            let entry = Entry(start: key.start, count: key.count, mark: key.mark, isASCII: Self.isASCII(bytes), hash: 0)
            return add(entry, text: text, table: &table, firstKey: firstKey)
        }
        if let duplicate {
            let name = text.withUnsafeBufferPointer { Self.string(of: key.start, key.count, in: $0) }
            throw YAMLError(.duplicateKey(key: name, firstMark: duplicate.mark), mark: key.mark)
        }
    }

    /// Adds the entry and returns nil, or returns the earlier key equal to it.
    private mutating func add(_ new: Entry, text: UnsafeBufferPointer<UInt8>, table: inout [Int32], firstKey: Int) -> Entry? {
        var new = new
        let count = entries.count - firstKey
        if count < DocumentBuilder.linearScanLimit {
            for k in firstKey..<entries.count where Self.equal(entries[k], new, text) {
                return entries[k]
            }
            entries.append(new)
            return nil
        }
        // Past the linear scan, an open-addressing table of positions in `entries`, each key's
        // hash kept beside it: a `Dictionary` of the keys rehashed every key at each of its
        // growths, a tenth of validate's time at 100,000 connections.
        if table.isEmpty {
            for k in firstKey..<entries.count { entries[k].hash = Self.hash(entries[k], text) }
        }
        if table.count < 2 * (count + 1) {
            var size = 64
            while size < 4 * (count + 1) { size <<= 1 }
            table = [Int32](repeating: 0, count: size)
            let mask = size - 1
            for k in firstKey..<entries.count {
                var slot = entries[k].hash & mask
                while table[slot] != 0 { slot = (slot + 1) & mask }
                table[slot] = Int32(truncatingIfNeeded: k + 1)
            }
        }
        new.hash = Self.hash(new, text)
        let mask = table.count - 1
        var slot = new.hash & mask
        while table[slot] != 0 {
            let existing = entries[Int(table[slot]) - 1]
            if existing.hash == new.hash, Self.equal(existing, new, text) { return existing }
            slot = (slot + 1) & mask
        }
        table[slot] = Int32(truncatingIfNeeded: entries.count + 1)
        entries.append(new)
        return nil
    }

    private static func equal(_ a: Entry, _ b: Entry, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.count == b.count {
            var same = true
            for i in 0..<Int(a.count) where text[Int(a.start) + i] != text[Int(b.start) + i] {
                same = false
                break
            }
            if same { return true }
        }
        // ASCII text is in normal form: two ASCII keys with different bytes are different strings.
        if a.isASCII && b.isASCII { return false }
        return string(of: a.start, a.count, in: text) == string(of: b.start, b.count, in: text)
    }

    /// The key's hash as `String` hashes it, so that canonically equivalent keys meet in the table.
    /// ASCII text is in normal form, and a `String` in normal form hashes its UTF-8 bytes and a
    /// 0xFF terminator: those keys are hashed so from the buffer, without making a `String` (the
    /// large-mapping tests with canonically equivalent keys hold the two hashes equal).
    private static func hash(_ entry: Entry, _ text: UnsafeBufferPointer<UInt8>) -> Int {
        guard entry.isASCII else { return string(of: entry.start, entry.count, in: text).hashValue }
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: text[Int(entry.start)..<Int(entry.start) + Int(entry.count)])))
        hasher.combine(0xFF as UInt8)
        return hasher.finalize()
    }

    private static func string(of start: Int32, _ count: Int32, in text: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: text[Int(start)..<Int(start) + Int(count)]), as: UTF8.self)
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for byte in bytes { any |= byte }
        return any < 0x80
    }
}
