import CYAML

/// A run of libyaml's events, copied out of libyaml: their strings sit end to end in `bytes`.
/// What the builder needs of an event and nothing more, so the parser that read them may go on
/// (on another thread) while the builder takes them.
///
/// A value, filled and taken through `inout`: appending to arrays held by a class would check
/// exclusive access at run time for every event.
struct EventBatch {
    enum Kind: UInt8 {
        case scalar, mappingStart, sequenceStart, collectionEnd, alias, documentStart, streamEnd
    }

    /// One event. `text` is a scalar's value or an alias's name; a tag or anchor that the event
    /// lacks has a negative start.
    struct Event {
        var kind: Kind
        var style: ScalarStyle
        var mark: Mark
        var text: Range<Int>
        var tag: Range<Int>
        var anchor: Range<Int>
    }

    private static let none = -1..<(-1)

    private(set) var events: [Event] = []
    private(set) var bytes: [UInt8] = []
    /// libyaml's error after the last event, if the text failed there.
    var failure: YAMLError?
    /// True when nothing follows: the stream ended or failed.
    var isLast = false

    mutating func removeAll() {
        events.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        failure = nil
        isLast = false
    }

    mutating func append(
        _ kind: Kind, style: ScalarStyle = .plain, mark: Mark, text: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0),
        tag: UnsafeMutablePointer<yaml_char_t>? = nil, anchor: UnsafeMutablePointer<yaml_char_t>? = nil
    ) {
        events.append(
            Event(
                kind: kind, style: style, mark: mark, text: copy(text), tag: tag.map { copy(Self.cString($0)) } ?? Self.none,
                anchor: anchor.map { copy(Self.cString($0)) } ?? Self.none))
    }

    /// The bytes of a C string, up to its NUL (an empty buffer for nil).
    static func cString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> UnsafeBufferPointer<UInt8> {
        guard let pointer else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: pointer, count: strlen(pointer))
    }

    private mutating func copy(_ text: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = bytes.count
        bytes.append(contentsOf: text)
        return start..<bytes.count
    }
}

extension DocumentBuilder {
    /// Builds on with every event of `batch`, in order; true once the stream has ended. Throws
    /// the first error, the builder's own or, after the last event, libyaml's: the same error,
    /// at the same place, as taking each event straight from libyaml.
    mutating func take(_ batch: EventBatch, documents: inout Int) throws(YAMLError) -> Bool {
        let ended = try batch.bytes.withUnsafeBufferPointer { bytes throws(YAMLError) -> Bool in
            func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8>? {
                range.lowerBound < 0 ? nil : UnsafeBufferPointer(rebasing: bytes[range])
            }
            func string(_ range: Range<Int>) -> String? {
                slice(range).map { String(decoding: $0, as: UTF8.self) }
            }
            for event in batch.events {
                switch event.kind {
                case .scalar:
                    try scalar(slice(event.text)!, style: event.style, tag: slice(event.tag), mark: event.mark, anchor: string(event.anchor))
                case .mappingStart, .sequenceStart:
                    try startCollection(
                        isMapping: event.kind == .mappingStart, mark: event.mark, tag: slice(event.tag), anchor: string(event.anchor))
                case .collectionEnd:
                    try endCollection()
                case .alias:
                    try alias(string(event.text) ?? "", mark: event.mark)
                case .documentStart:
                    documents += 1
                    if documents > 1 { throw YAMLError(.multipleDocuments, mark: event.mark) }
                case .streamEnd:
                    return true
                }
            }
            return false
        }
        if !ended, let failure = batch.failure { throw failure }
        return ended
    }
}
