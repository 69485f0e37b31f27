/// The finished children of every open collection, end to end. When a collection closes its
/// children are moved (not copied) into one array of exactly the right size: no array growth
/// per collection, no retain/release per child, and no slack capacity kept in the tree.
struct NodeBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<YAMLNode>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 256
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    mutating func append(_ node: consuming YAMLNode) {
        if count == capacity {
            let grown = UnsafeMutablePointer<YAMLNode>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown
            capacity *= 2
        }
        (base + count).initialize(to: node)
        count += 1
    }

    /// Moves the nodes from `start` on out as a sequence's items.
    mutating func removeItems(from start: Int) -> [YAMLNode] {
        let n = count - start
        var items: [YAMLNode] = []
        items.reserveCapacity(n)
        for i in start..<count { items.append((base + i).move()) }
        count = start
        return items
    }

    /// Moves the nodes from `start` on out as a mapping's pairs: key, value, key, value…
    /// A trailing key without a value (which libyaml never produces) gets an empty scalar.
    mutating func removePairs(from start: Int) -> [YAMLPair] {
        if (count - start) % 2 == 1 {
            append(YAMLNode(.scalar(YAMLScalar(value: "", style: .plain)), mark: base[count - 1].mark))
        }
        let n = (count - start) / 2
        let source = base + start
        var pairs: [YAMLPair] = []
        pairs.reserveCapacity(n)
        for i in 0..<n {
            pairs.append(YAMLPair(key: (source + 2 * i).move(), value: (source + 2 * i + 1).move()))
        }
        count = start
        return pairs
    }
}
