import Crypto

/// Short hashes that tell whether a state object changed between plan and apply.
public enum Fingerprint {
    /// Hex SHA-256 of the text's UTF-8 bytes.
    public static func hex<Bytes: Sequence>(ofBytes bytes: Bytes) -> String where Bytes.Element == UInt8 {
        digits(of: SHA256.hash(data: Array(bytes)), count: 64)
    }

    public static func hex(of text: String) -> String { digits(of: digest(of: text), count: 64) }

    /// Hex SHA-256 of the pieces' bytes end to end, without joining them first.
    static func hex(ofPieces pieces: [[UInt8]]) -> String {
        var hash = SHA256()
        for piece in pieces { piece.withUnsafeBytes { hash.update(bufferPointer: $0) } }
        return digits(of: hash.finalize(), count: 64)
    }

    /// The fingerprint of a state object: 16 hex digits over its fields in a fixed order.
    public static func of(_ record: ObjectRecord) -> String {
        var text = ""
        switch record {
        case .store(let r): text = "store\u{1F}\(r.key)"
        case .warehouse: text = "warehouse"
        case .connection(let r): text = "connection\u{1F}\(r.store)"
        }
        for (name, value) in record.attributes { text += "\u{1E}\(name)\u{1F}\(value)" }
        return digits(of: digest(of: text), count: 16)
    }

    /// The digest of the text's bytes as they are, without copying them into an array first.
    private static func digest(of text: String) -> SHA256.Digest {
        var text = text
        return text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
    }

    /// The first `count` (even, at most 64) lower-case hex digits of `digest`, written straight into
    /// the string: a plan fingerprints every object it changes (100,000 at a design point), and a
    /// string per byte, joined, was most of a fingerprint's time.
    private static func digits(of digest: SHA256.Digest, count: Int) -> String {
        String(unsafeUninitializedCapacity: count) { out in
            var written = 0
            for byte in digest where written < count {
                out[written] = hexDigit(byte >> 4)
                out[written + 1] = hexDigit(byte & 0x0F)
                written += 2
            }
            return written
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }
}
