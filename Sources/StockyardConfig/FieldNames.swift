/// The keys one mapping of the config allows, kept as bytes too: every key of a large file is
/// matched against them, and comparing lengths, then bytes, finds a field without making a
/// `String` of the key or walking each name's UTF-8 view.
struct FieldNames: Sendable {
    let names: [String]
    private let bytes: [[UInt8]]

    init(_ names: [String]) {
        self.names = names
        bytes = names.map { Array($0.utf8) }
    }

    /// The name whose UTF-8 bytes `key` is, if any.
    func match(_ key: UnsafeBufferPointer<UInt8>) -> String? {
        for i in bytes.indices where bytes[i].count == key.count && bytes[i].withUnsafeBufferPointer({ $0.elementsEqual(key) }) {
            return names[i]
        }
        return nil
    }
}
