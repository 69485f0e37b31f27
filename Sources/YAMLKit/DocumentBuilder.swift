/// Assembles a `YAMLDocument` from the parser's events with an explicit stack of open
/// collections, so a hostile nesting depth costs heap and hits `maxDepth`, never the Swift call
/// stack.
///
/// It also enforces what the event stream alone does not: unique keys, defined aliases and the
/// alias expansion budget. Every node's subtree size (aliased copies included) is what an alias
/// to it costs.
struct DocumentBuilder: ~Copyable {
    /// Up to this many keys, a linear scan finds duplicates faster than hashing.
    static let linearScanLimit = 8

    private let limits: YAMLLimits
    private var open: [OpenCollection] = []
    /// The finished children of every open collection, end to end. When a collection closes they
    /// move, as a block, to the end of `nodes`: siblings are always side by side there.
    private var pending: [YAMLDocument.Node] = []
    private var nodes: [YAMLDocument.Node] = []
    private var text: [UInt8] = []
    private var tags: [String] = []
    /// The scalar keys of every open mapping, end to end, for duplicate checks.
    var keys = KeyIndex()
    private var anchors: [String: (node: YAMLDocument.Node, size: Int)] = [:]
    private var aliasExpansion = 0
    private(set) var root: YAMLDocument.Node?

    init(limits: YAMLLimits, sourceSize: Int) {
        self.limits = limits
        // Scalars hold at most about as many bytes as the source, and a config has a node for
        // every 10 bytes or so: one allocation each, not a copy at every doubling. Pages of the
        // reserve that are never written are never touched.
        text.reserveCapacity(sourceSize)
        nodes.reserveCapacity(sourceSize / 8)
    }

    /// The finished document; nil before the root has ended.
    consuming func document() -> YAMLDocument? {
        guard let root else { return nil }
        return YAMLDocument(root: root, nodes: nodes, text: text, tags: tags)
    }

    mutating func startCollection(
        isMapping: Bool, mark: Mark, tag: UnsafeBufferPointer<UInt8>?, anchor: String?
    ) throws(YAMLError) {
        guard open.count < limits.maxDepth else {
            throw YAMLError(.depthLimit(limit: limits.maxDepth), mark: mark)
        }
        open.append(
            OpenCollection(
                isMapping: isMapping, mark: mark, tagIndex: try tagIndex(tag, mark: mark), anchor: anchor,
                firstChild: pending.count, firstKey: keys.count))
    }

    mutating func endCollection() throws(YAMLError) {
        guard let collection = open.popLast() else { return }
        if collection.isMapping {
            if (pending.count - collection.firstChild) % 2 == 1 {
                // A key without a value, which libyaml never produces: the value is an empty scalar.
                let mark = pending[pending.count - 1].mark
                pending.append(YAMLDocument.Node(.scalar, tagIndex: 0, mark: mark, start: try offset(text.count), count: 0))
            }
            keys.removeLast(from: collection.firstKey)
        }
        let count = pending.count - collection.firstChild
        _ = try offset(nodes.count + count)  // the last child's position fits too
        let first = Int32(truncatingIfNeeded: nodes.count)
        nodes.append(contentsOf: pending[collection.firstChild...])
        pending.removeLast(count)
        let node = YAMLDocument.Node(
            collection.isMapping ? .mapping : .sequence, tagIndex: collection.tagIndex, mark: collection.mark, start: first,
            count: try offset(count))
        try finish(node, size: collection.size, anchor: collection.anchor)
    }

    mutating func scalar(
        _ bytes: UnsafeBufferPointer<UInt8>, style: ScalarStyle, tag: UnsafeBufferPointer<UInt8>?, mark: Mark, anchor: String?
    ) throws(YAMLError) {
        let start = try offset(text.count)
        _ = try offset(text.count + bytes.count)
        text.append(contentsOf: bytes)
        let node = YAMLDocument.Node(
            .scalar, style: style, tagIndex: try tagIndex(tag, mark: mark), mark: mark, start: start, count: try offset(bytes.count))
        try finish(node, size: 1, anchor: anchor)
    }

    /// Inserts a copy of the anchored node (sharing its children) and charges its subtree size
    /// to the expansion budget before anything is built. The copy takes the alias's position;
    /// the nodes inside it keep the anchor's.
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
        try finish(copy, size: size, anchor: nil)
    }

    private mutating func finish(_ node: YAMLDocument.Node, size: Int, anchor: String?) throws(YAMLError) {
        if let anchor {
            anchors[anchor] = (node, size)
        }
        guard let parent = open.indices.last else {
            root = node
            return
        }
        open[parent].size += size
        if open[parent].isMapping, (pending.count - open[parent].firstChild) % 2 == 0, node.kind == .scalar {
            try keys.insert(node, text: text, table: &open[parent].keyTable, firstKey: open[parent].firstKey)
        }
        pending.append(node)
    }

    /// Tags are rare: each one is kept as a `String`, and the node holds its position.
    private mutating func tagIndex(_ tag: UnsafeBufferPointer<UInt8>?, mark: Mark) throws(YAMLError) -> Int32 {
        guard let tag else { return 0 }
        tags.append(String(decoding: tag, as: UTF8.self))
        return try offset(tags.count)
    }

    /// Offsets and counts are kept in 32 bits, which keeps every node at 24 bytes.
    private func offset(_ value: Int) throws(YAMLError) -> Int32 {
        guard value < Int(Int32.max) else {
            let mark = pending.last?.mark ?? Mark(line: 1, column: 1)
            throw YAMLError(.syntax(problem: "the document is too large (more than 2^31 nodes or bytes of text)", context: nil), mark: mark)
        }
        return Int32(truncatingIfNeeded: value)
    }
}

/// A mapping or sequence whose end event has not arrived yet; its children so far sit in the
/// builder's `pending` from `firstChild` on.
private struct OpenCollection {
    let isMapping: Bool
    let mark: Mark
    let tagIndex: Int32
    let anchor: String?
    let firstChild: Int
    let firstKey: Int
    var size = 1
    /// Built once a mapping outgrows the linear scan: 0 for an empty slot, else a position in the
    /// builder's keys plus one.
    var keyTable: [Int32] = []

    init(isMapping: Bool, mark: Mark, tagIndex: Int32, anchor: String?, firstChild: Int, firstKey: Int) {
        self.isMapping = isMapping
        self.mark = mark
        self.tagIndex = tagIndex
        self.anchor = anchor
        self.firstChild = firstChild
        self.firstKey = firstKey
    }
}
