import Testing

@testable import StockyardEngine

@Suite struct FingerprintTests {
    /// The digits are SHA-256's, in lower case: plans saved by earlier versions hold them.
    @Test func hexIsTheSHA256OfTheBytes() {
        #expect(Fingerprint.hex(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Fingerprint.hex(ofBytes: Array("abc".utf8)) == Fingerprint.hex(of: "abc"))
        #expect(Fingerprint.hex(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// An object's fingerprint is the first 16 digits of the hash of its fields.
    @Test func objectFingerprintIsSixteenDigitsOfTheFieldsHash() {
        let record = ObjectRecord.store(StoreRecord(key: "web", platform: .file, target: "stores/web.json"))
        var text = "store\u{1F}web"
        for (name, value) in record.attributes { text += "\u{1E}\(name)\u{1F}\(value)" }
        #expect(Fingerprint.of(record) == String(Fingerprint.hex(of: text).prefix(16)))
        #expect(Fingerprint.of(record).count == 16)
    }
}
