extension JSONPreflight {
    /// The keys of one open object and where each was. Objects are small but for a store's SKUs:
    /// compared one by one while few, then found through an open-addressing table of positions in
    /// `seen`, hashed with FNV-1a (a `Dictionary` rebuilt for every location's 200 SKUs, with its
    /// seeded hash, was the largest cost of reading such a store file). Reused from object to object
    /// at a level. Keys in ascending byte order, as Stockyard writes every object and as a store's
    /// SKUs are kept, are distinct without a table: each is compared with the one before only.
    struct KeysSeen {
        var seen: [(key: KeyBytes, offset: Int)] = []
        /// The keys with escapes, decoded: the few that are not bytes of the input as they stand.
        var decoded: [[UInt8]] = []
        /// 0 for an empty slot, else a position in `seen` plus one; holds `seen[..<indexed]`.
        var table: [Int32] = []
        var indexed = 0
        /// Every key so far is plain (as it stands in the input) and greater than the one before.
        var ascending = true

        static let linearLimit = 16

        /// A decoded key, kept until the object ends.
        mutating func keep(_ key: [UInt8]) -> KeyBytes {
            decoded.append(key)
            return KeyBytes(start: -decoded.count, count: key.count)
        }

        /// Adds a key; returns where it was before if the object already has it.
        mutating func insert(_ key: KeyBytes, at offset: Int, in input: UnsafeBufferPointer<UInt8>) -> Int? {
            if ascending {
                if key.start >= 0, seen.last.map({ Self.less($0.key, key, input) }) ?? true {
                    seen.append((key, offset))
                    return nil
                }
                // From here on, the keys so far (`seen`) are indexed as any others.
                ascending = false
            }
            if seen.count < Self.linearLimit {
                if let earlier = seen.first(where: { equal($0.key, key, input) }) { return earlier.offset }
                seen.append((key, offset))
                return nil
            }
            if table.count < 2 * (seen.count + 1) {
                var size = 64
                while size < 4 * (seen.count + 1) { size <<= 1 }
                table = [Int32](repeating: 0, count: size)
                indexed = 0
            }
            while indexed < seen.count {
                place(indexed, input)
                indexed += 1
            }
            let mask = table.count - 1
            var slot = hash(key, input) & mask
            while table[slot] != 0 {
                let earlier = seen[Int(table[slot]) - 1]
                if equal(earlier.key, key, input) { return earlier.offset }
                slot = (slot + 1) & mask
            }
            table[slot] = Int32(seen.count + 1)
            seen.append((key, offset))
            indexed = seen.count
            return nil
        }

        private mutating func place(_ index: Int, _ input: UnsafeBufferPointer<UInt8>) {
            let mask = table.count - 1
            var slot = hash(seen[index].key, input) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(index + 1)
        }

        mutating func removeAll() {
            seen.removeAll(keepingCapacity: true)
            ascending = true
            if !decoded.isEmpty { decoded.removeAll() }
            if indexed > 0 {
                table.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                indexed = 0
            }
        }

        func bytes(of key: KeyBytes, in input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
            key.start >= 0 ? Array(input[key.start..<(key.start + key.count)]) : decoded[-key.start - 1]
        }

        /// Byte order of two plain keys.
        private static func less(_ a: KeyBytes, _ b: KeyBytes, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
            let common = min(a.count, b.count)
            var k = 0
            while k < common {
                let x = input[a.start + k]
                let y = input[b.start + k]
                if x != y { return x < y }
                k += 1
            }
            return a.count < b.count
        }

        private func equal(_ a: KeyBytes, _ b: KeyBytes, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
            guard a.count == b.count else { return false }
            guard a.start >= 0, b.start >= 0 else { return bytes(of: a, in: input) == bytes(of: b, in: input) }
            for k in 0..<a.count where input[a.start + k] != input[b.start + k] { return false }
            return true
        }

        /// FNV-1a of the key's bytes: no per-process seed is needed to find repeated keys in one object.
        private func hash(_ key: KeyBytes, _ input: UnsafeBufferPointer<UInt8>) -> Int {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            if key.start >= 0 {
                for k in key.start..<(key.start + key.count) { hash = (hash ^ UInt64(input[k])) &* 0x100_0000_01b3 }
            } else {
                for byte in decoded[-key.start - 1] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            }
            return Int(truncatingIfNeeded: hash ^ (hash >> 29))
        }
    }

    /// Where a key's bytes are: `count` bytes of the input from `start`, or, for a key with
    /// escapes (`start` negative), the decoded bytes its ``KeysSeen`` keeps. Plain integers: keeping
    /// and forgetting a key touches no reference count.
    struct KeyBytes {
        let start: Int
        let count: Int
    }
}
