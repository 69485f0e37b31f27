import StockyardEngine
import Testing

/// The key that finds one building behind several stores' locations.
@Suite struct PostalAddressTests {
    /// ASCII text is keyed byte by byte; text with other letters the general way. A text that turns
    /// out not to be ASCII part of the way through gives the same key as the general way would.
    @Test(
        arguments: [
            (PostalAddress(address1: "1 Dock Street", zip: "LS1 1AA", countryCode: "GB"), "1dockst||ls11aa|gb"),
            (PostalAddress(address1: "5 Street Große", city: "Köln", countryCode: "DE"), "5stgroße||köln|de"),
            (PostalAddress(address1: "Ünit 5, North Road", address2: "Suite 2", zip: "10115"), "ünit5nrd|ste2|10115|"),
            (PostalAddress(address1: "ÉCOLE 12 AVENUE", zip: "75001", countryCode: "FR"), "école12ave||75001|fr"),
            (PostalAddress(address1: "12 Avenue Façade", zip: "75001"), "12avefaçade||75001|"),
            (PostalAddress(address1: "Dock Street —", zip: "LS1"), "dockst||ls1|"),
            (PostalAddress(address1: "— —", zip: "LS1"), nil),
            (PostalAddress(address1: "1 Dock Street"), nil),
        ] as [(PostalAddress, String?)])
    func matchKey(_ address: PostalAddress, _ expected: String?) {
        #expect(address.matchKey == expected)
    }
}
