/// A parsed YAML document as one flat array of nodes: every collection's children sit side by
/// side in `nodes`, and every scalar's text sits in one byte buffer. Nothing is allocated per
/// node and nothing is counted by reference, so a 100,000-connection file (1.2 million nodes)
/// costs three arrays to build and to free instead of a `String` per scalar and an array per
/// mapping. A scalar's text becomes a `String` only when a reader asks for it; keys can be
/// compared as bytes. Semantics are `YAMLParser.parse`'s: that tree is built from this.
public struct YAMLDocument: Sendable {
    public let root: Node
    // The accessors below are inlinable so that a reader in another module walks the arrays
    // directly: called through the module boundary, each read of a key cost a generic call.
    @usableFromInline let nodes: [Node]
    /// The text of every scalar, end to end (libyaml's, with escapes and folding resolved).
    @usableFromInline let text: [UInt8]
    /// Explicit tags; a node's `tagIndex` is its position here plus one (0 for none).
    @usableFromInline let tags: [String]

    init(root: Node, nodes: [Node], text: [UInt8], tags: [String]) {
        self.root = root
        self.nodes = nodes
        self.text = text
        self.tags = tags
    }

    /// One node: its kind, position and style, and where its text or its children are. An alias
    /// is a copy of the anchored node with the alias's position, sharing its children.
    public struct Node: Sendable {
        public enum Kind: UInt8, Sendable {
            case scalar, mapping, sequence
        }

        public let kind: Kind
        /// How a scalar was written (`plain` for collections).
        public let style: ScalarStyle
        @usableFromInline let tagIndex: Int32
        public internal(set) var mark: Mark
        /// Scalars: the offset of the text in `text`; collections: the first child in `nodes`.
        @usableFromInline let start: Int32
        /// Scalars: the length of the text in bytes; collections: the number of child nodes
        /// (a mapping's keys and values alike).
        @usableFromInline let count: Int32

        init(_ kind: Kind, style: ScalarStyle = .plain, tagIndex: Int32, mark: Mark, start: Int32, count: Int32) {
            self.kind = kind
            self.style = style
            self.tagIndex = tagIndex
            self.mark = mark
            self.start = start
            self.count = count
        }

        @inlinable public var isScalar: Bool { kind == .scalar }

        /// A short noun for the node's kind, for messages: "a mapping", "a list", "a scalar".
        public var kindDescription: String {
            switch kind {
            case .scalar: return "a scalar"
            case .mapping: return "a mapping"
            case .sequence: return "a list"
            }
        }
    }

    // MARK: - Reading

    /// A scalar's text (empty for a collection).
    @inlinable public func string(_ node: Node) -> String {
        guard node.kind == .scalar else { return "" }
        return withBytes(node) { String(decoding: $0, as: UTF8.self) }
    }

    /// The scalar's text as bytes, valid inside `body` only (empty for a collection).
    @inlinable public func withBytes<R>(_ node: Node, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let count = node.kind == .scalar ? Int(node.count) : 0
        return try text.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(start: buffer.baseAddress.map { $0 + Int(node.start) }, count: count))
        }
    }

    /// The scalar's length in bytes (0 for a collection).
    @inlinable public func byteCount(_ node: Node) -> Int {
        node.kind == .scalar ? Int(node.count) : 0
    }

    /// True when the node is a scalar whose text is exactly `string`'s bytes: for comparing with
    /// the ASCII words of a config language (a non-ASCII key that is canonically equivalent to
    /// one of them needs a `String` comparison, which `string(_:)` gives).
    @inlinable public func scalar(_ node: Node, is string: String) -> Bool {
        guard node.kind == .scalar, Int(node.count) == string.utf8.count else { return false }
        return withBytes(node) { bytes in
            var i = 0
            for byte in string.utf8 {
                if bytes[i] != byte { return false }
                i += 1
            }
            return true
        }
    }

    /// The node's explicit tag (`!!str` → `tag:yaml.org,2002:str`), if any.
    @inlinable public func tag(_ node: Node) -> String? {
        node.tagIndex == 0 ? nil : tags[Int(node.tagIndex) - 1]
    }

    /// A mapping's pairs in source order (empty for any other node).
    @inlinable public func pairs(_ node: Node) -> Pairs {
        guard node.kind == .mapping else { return Pairs(children: Items(nodes: nodes, start: 0, count: 0)) }
        return Pairs(children: Items(nodes: nodes, start: Int(node.start), count: Int(node.count)))
    }

    /// A sequence's items in source order (empty for any other node).
    @inlinable public func items(_ node: Node) -> Items {
        guard node.kind == .sequence else { return Items(nodes: nodes, start: 0, count: 0) }
        return Items(nodes: nodes, start: Int(node.start), count: Int(node.count))
    }

    /// The value under the scalar key `key` (compared as text), when `node` is a mapping that has it.
    public func value(in node: Node, forKey key: String) -> Node? {
        pairs(node).first { $0.key.kind == .scalar && string($0.key) == key }?.value
    }

    /// A run of sibling nodes: a sequence's items, or a mapping's keys and values in turn.
    public struct Items: RandomAccessCollection, Sendable {
        @usableFromInline let nodes: [Node]
        @usableFromInline let start: Int
        public let count: Int

        @usableFromInline init(nodes: [Node], start: Int, count: Int) {
            self.nodes = nodes
            self.start = start
            self.count = count
        }

        @inlinable public var startIndex: Int { 0 }
        @inlinable public var endIndex: Int { count }

        @inlinable public subscript(position: Int) -> Node {
            precondition(position >= 0 && position < count, "item index out of range")
            return nodes[start + position]
        }
    }

    /// A mapping's children taken two at a time.
    public struct Pairs: RandomAccessCollection, Sendable {
        @usableFromInline let children: Items

        @usableFromInline init(children: Items) {
            self.children = children
        }

        @inlinable public var startIndex: Int { 0 }
        @inlinable public var endIndex: Int { children.count / 2 }

        @inlinable public subscript(position: Int) -> (key: Node, value: Node) {
            (children[2 * position], children[2 * position + 1])
        }
    }
}
