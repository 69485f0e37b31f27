/// A position in a YAML source, 1-based line and column (columns count Unicode scalars).
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    // 32 bits each keep every node 8 bytes smaller; no text has 2^31 lines.
    private var storedLine: Int32
    private var storedColumn: Int32

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    public init(line: Int, column: Int) {
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
    }

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// How a scalar was written. A config language needs this: `NO` written plain is still the
/// string "NO" to us, but `"1"` quoted is never a number.
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded

    /// True for every style but `plain`: the author wrote a string on purpose.
    public var isQuoted: Bool { self != .plain }
}

/// A scalar's text, style and explicit tag (`!!str` → `tag:yaml.org,2002:str`), if any.
public struct YAMLScalar: Sendable, Hashable {
    public var value: String
    private var tagName: TagName?
    public var style: ScalarStyle

    public var tag: String? {
        get { tagName?.name }
        set { tagName = newValue.map(TagName.init) }
    }

    public init(value: String, style: ScalarStyle, tag: String? = nil) {
        self.value = value
        self.tagName = tag.map(TagName.init)
        self.style = style
    }

    public static func == (lhs: YAMLScalar, rhs: YAMLScalar) -> Bool {
        lhs.value == rhs.value && lhs.style == rhs.style && lhs.tag == rhs.tag
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
        hasher.combine(style)
        hasher.combine(tag)
    }
}

/// Tags are rare, so nodes hold them behind one reference: 8 bytes instead of 16 in every node.
final class TagName: Sendable {
    let name: String

    init(_ name: String) {
        self.name = name
    }
}

/// One key/value pair of a mapping, in source order.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A node of a YAML document with the position where it starts.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        /// Pairs in source order; keys are unique (the parser rejects duplicates).
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var content: Content
    public var mark: Mark
    private var tagName: TagName?

    /// The explicit tag of a mapping or sequence (scalars keep theirs in `YAMLScalar`).
    public var tag: String? {
        get { tagName?.name }
        set { tagName = newValue.map(TagName.init) }
    }

    public init(_ content: Content, mark: Mark, tag: String? = nil) {
        self.content = content
        self.mark = mark
        self.tagName = tag.map(TagName.init)
    }

    /// The scalar, when this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The pairs, when this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The items, when this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The value under the scalar key `key` (compared by text, as duplicate checks do), when this
    /// node is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.value == key }?.value
    }

    /// A short noun for the node's kind, for messages: "a mapping", "a list", "a string"…
    public var kindDescription: String {
        switch content {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}

/// Limits that keep a hostile file from exhausting memory or the stack.
public struct YAMLLimits: Sendable {
    /// How many nodes aliases may expand to, in total, across the document.
    public var maxAliasExpansion: Int
    /// How deeply collections may nest.
    public var maxDepth: Int

    public init(maxAliasExpansion: Int = 100_000, maxDepth: Int = 256) {
        self.maxAliasExpansion = maxAliasExpansion
        self.maxDepth = maxDepth
    }

    public static let `default` = YAMLLimits()
}

/// Everything that can go wrong reading a YAML document, each with a position.
public struct YAMLError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// libyaml rejected the text; `problem` is its message, `context` its context if any.
        case syntax(problem: String, context: String?)
        /// The file holds no bytes or only whitespace.
        case emptyFile
        /// The file holds only comments (and whitespace).
        case onlyComments
        /// More than one document (`---`) in the file; `mark` is where the second starts.
        case multipleDocuments
        /// The bytes are not valid UTF-8; `mark` is the first bad byte.
        case invalidUTF8
        /// A key appears twice in one mapping; `mark` is the second, `firstMark` the first.
        case duplicateKey(key: String, firstMark: Mark)
        /// An alias names an anchor not defined before it.
        case undefinedAlias(name: String)
        /// Aliases would expand past `YAMLLimits.maxAliasExpansion` nodes.
        case aliasExpansionLimit(limit: Int)
        /// Collections nest deeper than `YAMLLimits.maxDepth`.
        case depthLimit(limit: Int)
    }

    public var kind: Kind
    public var mark: Mark
    /// For syntax errors, where the construct libyaml was reading started (an unclosed quote is
    /// reported at the end of the file; this points at the quote).
    public var contextMark: Mark?

    public init(_ kind: Kind, mark: Mark, contextMark: Mark? = nil) {
        self.kind = kind
        self.mark = mark
        self.contextMark = contextMark
    }

    /// One sentence for a user, without the position (the caller prints that).
    public var message: String {
        switch kind {
        case .syntax(let problem, let context):
            guard let context, !context.isEmpty else { return "YAML syntax error: \(problem)" }
            if let contextMark, contextMark != mark {
                return "YAML syntax error: \(problem) (\(context) at line \(contextMark.line), column \(contextMark.column))"
            }
            return "YAML syntax error: \(problem) (\(context))"
        case .emptyFile:
            return "the file is empty: expected a YAML mapping starting with `version: 1`"
        case .onlyComments:
            return "the file holds only comments: expected a YAML mapping starting with `version: 1`"
        case .multipleDocuments:
            return "a second YAML document starts here; a config file holds exactly one document"
        case .invalidUTF8:
            return "the file is not valid UTF-8 (first bad byte here); save it as UTF-8"
        case .duplicateKey(let key, let first):
            return "duplicate key '\(key)': already defined at line \(first.line), column \(first.column)"
        case .undefinedAlias(let name):
            return "alias '*\(name)' refers to an anchor that is not defined before it"
        case .aliasExpansionLimit(let limit):
            return "aliases expand to more than \(limit) nodes; refusing to expand further (is this a 'billion laughs' file?)"
        case .depthLimit(let limit):
            return "nesting deeper than \(limit) levels is not supported"
        }
    }
}
