/// A JSON input that is not acceptable, and where: 1-based line and column (in characters), and the
/// byte offset. `description` is `LINE:COLUMN: MESSAGE`; callers put the file name in front.
public struct JSONInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong: the JSON itself (perhaps cut off), its nesting, a repeated key, or a value
    /// the reader does not accept.
    public enum Kind: Sendable, Hashable {
        case syntax, tooDeep, repeatedKey, value
    }

    public var kind: Kind = .value
    public var offset: Int
    public var line: Int
    public var column: Int
    public var message: String

    public init(offset: Int, line: Int, column: Int, message: String, kind: Kind = .value) {
        self.kind = kind
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    /// An error at `offset` in `bytes`, its line and column counted once, here.
    public init(at offset: Int, in bytes: [UInt8], _ message: String, kind: Kind = .value) {
        let (line, column) = JSONInputError.lineAndColumn(of: offset, in: bytes)
        self.init(offset: offset, line: line, column: column, message: message, kind: kind)
    }

    public var description: String { "\(line):\(column): \(message)" }

    /// 1-based line and column of a byte offset; columns count characters (UTF-8 lead bytes).
    public static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(max(offset, 0), bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    /// Where `offset` is, as `LINE:COLUMN`.
    public static func position(of offset: Int, in bytes: [UInt8]) -> String {
        let (line, column) = lineAndColumn(of: offset, in: bytes)
        return "\(line):\(column)"
    }
}
