import Synchronization

/// Where something was written in the config file: the file as the user named it, 1-based line and column.
///
/// A location holds its file's number (``FileName``), not the name: a config of 100,000 connections
/// holds half a million locations, and a name of more than 15 bytes is a shared string whose
/// count both cores changed on every copy of a location (3% of a plan of 10% changes). Line and
/// column are kept in 32 bits each (a location is 12 bytes, not 32): a text the config loader
/// takes has far fewer lines and columns than that; a larger number is kept as the largest.
public struct SourceLocation: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// A file's name, numbered once for the life of the process: the same name, the same number.
    /// A process names a handful of files (its config, a saved plan's), so the names are kept.
    public struct FileName: Sendable, Hashable {
        let number: Int32

        public init(_ name: String) {
            number = Self.names.withLock { names in
                if let known = names.numbers[name] { return known }
                let number = Int32(names.all.count)
                names.all.append(name)
                names.numbers[name] = number
                return number
            }
        }

        public var name: String { Self.names.withLock { $0.all[Int(number)] } }

        private static let names = Mutex<(all: [String], numbers: [String: Int32])>(([], [:]))
    }

    public var fileName: FileName
    private var line32: Int32
    private var column32: Int32

    public init(file: String, line: Int, column: Int) {
        self.init(file: FileName(file), line: line, column: column)
    }

    /// A location in a file already numbered: no lookup of the name (a config's decoder makes
    /// one for every value it reads).
    public init(file: FileName, line: Int, column: Int) {
        fileName = file
        line32 = Int32(clamping: line)
        column32 = Int32(clamping: column)
    }

    public var file: String { fileName.name }
    public var line: Int { Int(line32) }
    public var column: Int { Int(column32) }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        // One number per name: names are compared only when they differ.
        if lhs.fileName != rhs.fileName { return lhs.file < rhs.file }
        return (lhs.line32, lhs.column32) < (rhs.line32, rhs.column32)
    }

    public var description: String { "\(file):\(line):\(column)" }

    private enum CodingKeys: String, CodingKey {
        case file, line, column
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            file: try container.decode(String.self, forKey: .file), line: try container.decode(Int.self, forKey: .line),
            column: try container.decode(Int.self, forKey: .column))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
    }
}
