extension JSONPreflight {
    /// The keys of one open object and where each was. Objects are small but for a store's SKUs:
    /// compared one by one while few, then found through an open-addressing table of positions in
    /// `seen`, hashed with FNV-1a (a `Dictionary` rebuilt for every location's 200 SKUs, with its
    /// seeded hash, was the largest cost of reading such a store file). Reused from object to object
    /// at a level.
    struct KeysSeen {
        var seen: [(key: KeyBytes, offset: Int)] = []
        /// 0 for an empty slot, else a position in `seen` plus one; holds `seen[..<indexed]`.
        var table: [Int32] = []
        var indexed = 0

        static let linearLimit = 16

        /// Adds a key; returns where it was before if the object already has it.
        mutating func insert(_ key: KeyBytes, at offset: Int) -> Int? {
            if seen.count < Self.linearLimit {
                if let earlier = seen.first(where: { $0.key == key }) { return earlier.offset }
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
                place(indexed)
                indexed += 1
            }
            let mask = table.count - 1
            var slot = key.fnv1a & mask
            while table[slot] != 0 {
                let earlier = seen[Int(table[slot]) - 1]
                if earlier.key == key { return earlier.offset }
                slot = (slot + 1) & mask
            }
            table[slot] = Int32(seen.count + 1)
            seen.append((key, offset))
            indexed = seen.count
            return nil
        }

        private mutating func place(_ index: Int) {
            let mask = table.count - 1
            var slot = seen[index].key.fnv1a & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(index + 1)
        }

        mutating func removeAll() {
            seen.removeAll(keepingCapacity: true)
            if indexed > 0 {
                table.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                indexed = 0
            }
        }
    }

    /// A key's bytes, usually a slice of the input itself, hashed as one block of bytes (an array's
    /// own hash feeds the hasher a byte at a time).
    struct KeyBytes: Equatable {
        let bytes: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

        static func == (a: KeyBytes, b: KeyBytes) -> Bool {
            a.bytes.count == b.bytes.count && a.bytes.elementsEqual(b.bytes)
        }

        /// FNV-1a of the bytes: no per-process seed is needed to find repeated keys in one object.
        var fnv1a: Int {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            bytes.withUnsafeBufferPointer { buffer in
                for byte in buffer {
                    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                }
            }
            return Int(truncatingIfNeeded: hash ^ (hash >> 29))
        }
    }
}
