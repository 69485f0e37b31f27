import Crypto

/// Short hashes that tell whether a state object changed between plan and apply.
public enum Fingerprint {
    /// Hex SHA-256 of the text's UTF-8 bytes.
    public static func hex<Bytes: Sequence>(ofBytes bytes: Bytes) -> String where Bytes.Element == UInt8 {
        SHA256.hash(data: Array(bytes)).map { byte in
            let s = String(byte, radix: 16)
            return byte < 16 ? "0" + s : s
        }.joined()
    }

    public static func hex(of text: String) -> String { hex(ofBytes: Array(text.utf8)) }

    /// The fingerprint of a state object: 16 hex digits over its fields in a fixed order.
    public static func of(_ record: ObjectRecord) -> String {
        var text = ""
        switch record {
        case .store(let r): text = "store\u{1F}\(r.key)"
        case .warehouse: text = "warehouse"
        case .connection(let r): text = "connection\u{1F}\(r.store)"
        }
        for (name, value) in record.attributes { text += "\u{1E}\(name)\u{1F}\(value)" }
        return String(hex(of: text).prefix(16))
    }
}
