/// Assembles nodes from the parser's events with an explicit stack of open collections, so a
/// hostile nesting depth costs heap and hits `maxDepth`, never the Swift call stack.
///
/// It also enforces what the event stream alone does not: unique keys, defined aliases and the
/// alias expansion budget. Every node carries its subtree size (aliased copies included), which
/// is what an alias to it costs.
struct TreeBuilder: ~Copyable {
    /// Up to this many keys, a linear scan finds duplicates faster than hashing.
    private static let linearScanLimit = 8

    private let limits: YAMLLimits
    private var open: [OpenCollection] = []
    private var children = NodeBuffer()
    /// The scalar keys of every open mapping, end to end, for duplicate checks (a mapping that
    /// outgrows the linear scan also indexes its keys in its own hash table).
    private var keys: [ScalarKey] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var aliasExpansion = 0
    private(set) var root: YAMLNode?

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    mutating func startCollection(
        isMapping: Bool, mark: Mark, tag: String?, anchor: String?
    ) throws(YAMLError) {
        guard open.count < limits.maxDepth else {
            throw YAMLError(.depthLimit(limit: limits.maxDepth), mark: mark)
        }
        open.append(
            OpenCollection(
                isMapping: isMapping, mark: mark, tag: tag, anchor: anchor,
                firstChild: children.count, firstKey: keys.count))
    }

    mutating func endCollection() throws(YAMLError) {
        guard let collection = open.popLast() else { return }
        let content: YAMLNode.Content
        if collection.isMapping {
            content = .mapping(children.removePairs(from: collection.firstChild))
            keys.removeLast(keys.count - collection.firstKey)
        } else {
            content = .sequence(children.removeItems(from: collection.firstChild))
        }
        let node = YAMLNode(content, mark: collection.mark, tag: collection.tag)
        try finish(node, size: collection.size, keyText: nil, anchor: collection.anchor)
    }

    mutating func scalar(
        _ value: String, style: ScalarStyle, tag: String?, mark: Mark, anchor: String?
    ) throws(YAMLError) {
        let node = YAMLNode(.scalar(YAMLScalar(value: value, style: style, tag: tag)), mark: mark)
        try finish(node, size: 1, keyText: value, anchor: anchor)
    }

    /// Inserts a copy of the anchored node (arrays are copy-on-write, so this is cheap) and
    /// charges its subtree size to the expansion budget before anything is built. The copy
    /// takes the alias's position; the nodes inside it keep the anchor's.
    mutating func alias(_ name: String, mark: Mark) throws(YAMLError) {
        guard let (anchored, size) = anchors[name] else {
            throw YAMLError(.undefinedAlias(name: name), mark: mark)
        }
        guard size <= limits.maxAliasExpansion - aliasExpansion else {
            throw YAMLError(.aliasExpansionLimit(limit: limits.maxAliasExpansion), mark: mark)
        }
        aliasExpansion += size
        var copy = anchored
        copy.mark = mark
        try finish(copy, size: size, keyText: copy.scalar?.value, anchor: nil)
    }

    /// `keyText` is the scalar's text, passed alongside so duplicate checks need not unpack it.
    private mutating func finish(
        _ node: consuming YAMLNode, size: Int, keyText: String?, anchor: String?
    ) throws(YAMLError) {
        if let anchor {
            anchors[anchor] = (node, size)
        }
        guard let parent = open.indices.last else {
            root = node
            return
        }
        open[parent].size += size
        if open[parent].isMapping, (children.count - open[parent].firstChild) % 2 == 0, let keyText {
            try checkUnique(keyText, at: node.mark, in: parent)
        }
        children.append(node)
    }

    private mutating func checkUnique(_ key: String, at mark: Mark, in index: Int) throws(YAMLError) {
        let firstKey = open[index].firstKey
        let count = keys.count - firstKey
        if count < Self.linearScanLimit {
            for existing in keys[firstKey...] where existing.text == key {
                throw YAMLError(.duplicateKey(key: key, firstMark: existing.mark), mark: mark)
            }
            keys.append(ScalarKey(text: key, mark: mark, hash: 0))
            return
        }
        // Past the linear scan, an open-addressing table of positions in `keys`, each key's hash
        // kept beside it: a `Dictionary` of the keys rehashed every key at each of its growths, a
        // tenth of validate's time at 100,000 connections.
        var table = open[index].keyTable
        open[index].keyTable = []
        if table.isEmpty {
            for k in firstKey..<keys.count { keys[k].hash = Self.hash(keys[k].text) }
        }
        if table.count < 2 * (count + 1) {
            var size = 64
            while size < 4 * (count + 1) { size <<= 1 }
            table = [Int32](repeating: 0, count: size)
            let mask = size - 1
            for k in firstKey..<keys.count {
                var slot = keys[k].hash & mask
                while table[slot] != 0 { slot = (slot + 1) & mask }
                table[slot] = Int32(truncatingIfNeeded: k + 1)
            }
        }
        let hash = Self.hash(key)
        let mask = table.count - 1
        var slot = hash & mask
        while table[slot] != 0 {
            let existing = keys[Int(table[slot]) - 1]
            if existing.hash == hash, existing.text == key {
                open[index].keyTable = table
                throw YAMLError(.duplicateKey(key: key, firstMark: existing.mark), mark: mark)
            }
            slot = (slot + 1) & mask
        }
        table[slot] = Int32(truncatingIfNeeded: keys.count + 1)
        keys.append(ScalarKey(text: key, mark: mark, hash: hash))
        open[index].keyTable = table
    }

    /// The key's hash as `String` hashes it: keys are compared as strings are, so "é" written
    /// precomposed or as "e" and an accent is one key, in a mapping of any size (a hash of the
    /// bytes would tell them apart).
    private static func hash(_ text: String) -> Int {
        text.hashValue
    }
}

private struct ScalarKey {
    let text: String
    let mark: Mark
    /// Set once the mapping outgrows the linear scan.
    var hash: Int
}

/// A mapping or sequence whose end event has not arrived yet; its children so far sit in the
/// builder's `NodeBuffer` from `firstChild` on.
private struct OpenCollection {
    let isMapping: Bool
    let mark: Mark
    let tag: String?
    let anchor: String?
    let firstChild: Int
    let firstKey: Int
    var size = 1
    /// Built once a mapping outgrows the linear scan: 0 for an empty slot, else a position in the
    /// builder's `keys` plus one.
    var keyTable: [Int32] = []

    init(isMapping: Bool, mark: Mark, tag: String?, anchor: String?, firstChild: Int, firstKey: Int) {
        self.isMapping = isMapping
        self.mark = mark
        self.tag = tag
        self.anchor = anchor
        self.firstChild = firstChild
        self.firstKey = firstKey
    }
}
