import CYAML

/// Reads one YAML document straight from libyaml's event stream, into a flat `YAMLDocument`
/// (`parseDocument`, for large files) or a tree of `YAMLNode`s built from it (`parse`).
///
/// What it adds to libyaml, because a config language needs it: every node keeps its 1-based
/// position, scalars keep their style and explicit tag, duplicate keys are errors, aliases are
/// expanded under a budget, nesting is capped, and a file that is empty, only comments, several
/// documents or not UTF-8 gets its own error. Nothing is resolved: `1`, `true` and `~` stay
/// plain scalars, a missing value (`key:`) is an empty plain scalar, and merge keys (`<<`) are
/// ordinary keys, not merged: the layer above decides what they mean.
public enum YAMLParser {
    /// Parses exactly one YAML document into a node tree.
    public static func parse(_ bytes: [UInt8], limits: YAMLLimits = .default) throws(YAMLError) -> YAMLNode {
        try parseDocument(bytes, limits: limits).tree()
    }

    /// Parses exactly one YAML document held in a string; for tests and small inline texts.
    public static func parse(_ text: String, limits: YAMLLimits = .default) throws(YAMLError) -> YAMLNode {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(YAMLError) in try parseDocument(buffer, limits: limits) }
        }
        return try result.get().tree()
    }

    /// Parses exactly one YAML document from memory the caller owns (a mapped file, fuzzer
    /// input), without copying it first.
    public static func parse(
        _ buffer: UnsafeBufferPointer<UInt8>, limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLNode {
        try parseDocument(buffer, limits: limits).tree()
    }

    /// Parses exactly one YAML document into a flat `YAMLDocument`: what a reader of large files
    /// walks, with the same semantics and errors as the tree.
    ///
    /// With `concurrently`, a large text is parsed on two threads: libyaml reads it on a thread of
    /// its own while this one builds the document from its events, taken in order. The document
    /// and every error are the same as on one thread.
    public static func parseDocument(
        _ bytes: [UInt8], limits: YAMLLimits = .default, concurrently: Bool = false
    ) throws(YAMLError) -> YAMLDocument {
        try bytes.withUnsafeBufferPointer { buffer throws(YAMLError) in
            try parseDocument(buffer, limits: limits, concurrently: concurrently)
        }
    }

    /// As `parseDocument(_:limits:concurrently:)`, from memory the caller owns.
    public static func parseDocument(
        _ buffer: UnsafeBufferPointer<UInt8>, limits: YAMLLimits = .default, concurrently: Bool = false
    ) throws(YAMLError) -> YAMLDocument {
        let feed: EventFeed = concurrently && buffer.count >= EventFeed.concurrentMinimum ? .ownThread(batch: EventFeed.batch) : .sameThread
        return try parseDocument(buffer, limits: limits, feed: feed)
    }

    static func parseDocument(
        _ buffer: UnsafeBufferPointer<UInt8>, limits: YAMLLimits, feed: EventFeed
    ) throws(YAMLError) -> YAMLDocument {
        let text = SourceText.droppingBOM(buffer)
        guard SourceText.firstNonWhitespace(text) != nil else {
            throw YAMLError(.emptyFile, mark: Mark(line: 1, column: 1))
        }
        if let bad = SourceText.firstInvalidUTF8(text) {
            throw YAMLError(.invalidUTF8, mark: SourceText.mark(atOffset: bad, in: text))
        }
        let reader = EventReader(text)
        var builder = DocumentBuilder(limits: limits, sourceSize: text.count)
        try feed.run(reader, into: &builder)
        guard let document = builder.document() else { throw reader.onlyComments() }
        return document
    }
}

/// Owns a libyaml parser for the length of a parse and copies its events, in batches, into
/// memory of ours (`EventBatch`): what builds the document then needs nothing of libyaml's, and
/// may run on another thread. The parser lives at a fixed heap address because libyaml keeps a
/// pointer to it inside itself; one thread at a time uses it.
final class EventReader: @unchecked Sendable {
    private let text: UnsafeBufferPointer<UInt8>
    private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    private let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
    private let initialized: Bool
    /// Set once the stream has ended or failed: nothing more is read.
    private var finished = false

    init(_ text: UnsafeBufferPointer<UInt8>) {
        self.text = text
        event.initialize(to: yaml_event_t())
        initialized = yaml_parser_initialize(parser) == 1
        if initialized {
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, text.baseAddress, text.count)
        }
    }

    deinit {
        if initialized { yaml_parser_delete(parser) }
        parser.deallocate()
        event.deallocate()
    }

    /// Fills `batch` (emptied first) with up to `limit` events; it is the last when the stream
    /// ended or failed with them (the failure is the batch's last word).
    func read(into batch: inout EventBatch, limit: Int) {
        batch.removeAll()
        defer { batch.isLast = finished }
        guard initialized else {
            batch.failure = YAMLError(.syntax(problem: "libyaml could not allocate a parser", context: nil), mark: Mark(line: 1, column: 1))
            finished = true
            return
        }
        while !finished, batch.events.count < limit {
            guard yaml_parser_parse(parser, event) == 1 else {
                batch.failure = syntaxError()
                finished = true
                break
            }
            defer { yaml_event_delete(event) }
            let mark = Self.mark(event.pointee.start_mark)
            switch event.pointee.type {
            case YAML_SCALAR_EVENT:
                let data = event.pointee.data.scalar
                batch.append(
                    .scalar, style: Self.style(data.style), mark: mark, text: UnsafeBufferPointer(start: data.value, count: data.length),
                    tag: data.tag, anchor: data.anchor)
            case YAML_MAPPING_START_EVENT:
                let data = event.pointee.data.mapping_start
                batch.append(.mappingStart, mark: mark, tag: data.tag, anchor: data.anchor)
            case YAML_SEQUENCE_START_EVENT:
                let data = event.pointee.data.sequence_start
                batch.append(.sequenceStart, mark: mark, tag: data.tag, anchor: data.anchor)
            case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                batch.append(.collectionEnd, mark: mark)
            case YAML_ALIAS_EVENT:
                batch.append(.alias, mark: mark, text: EventBatch.cString(event.pointee.data.alias.anchor))
            case YAML_DOCUMENT_START_EVENT:
                batch.append(.documentStart, mark: mark)
            case YAML_STREAM_END_EVENT:
                batch.append(.streamEnd, mark: mark)
                finished = true
            default:
                continue
            }
        }
    }

    /// The error for a text that held only comments.
    func onlyComments() -> YAMLError {
        let offset = SourceText.firstNonWhitespace(text) ?? 0
        return YAMLError(.onlyComments, mark: SourceText.mark(atOffset: offset, in: text))
    }

    private func syntaxError() -> YAMLError {
        let state = parser.pointee
        var problem = state.problem.map { String(cString: $0) } ?? "libyaml ran out of memory"
        let context = state.context.map { String(cString: $0) }
        let mark: Mark
        if state.error == YAML_READER_ERROR {
            mark = SourceText.mark(atOffset: state.problem_offset, in: text)
        } else if Self.isSet(state.problem_mark) || !Self.isSet(state.context_mark) {
            mark = Self.mark(state.problem_mark)
        } else {
            mark = Self.mark(state.context_mark)
        }
        if problem == "found character that cannot start any token", SourceText.byte(at: mark, in: text) == 0x09 {
            problem = "found a tab character where indentation or a token was expected; YAML indents with spaces only"
        }
        let contextMark = context == nil ? nil : Self.mark(state.context_mark)
        return YAMLError(.syntax(problem: problem, context: context), mark: mark, contextMark: contextMark)
    }

    private static func isSet(_ mark: yaml_mark_t) -> Bool {
        mark.index != 0 || mark.line != 0 || mark.column != 0
    }

    private static func mark(_ mark: yaml_mark_t) -> Mark {
        Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}
