import Foundation
import StockyardEngine

// MARK: - Writing

/// Pretty-printed as `JSONEncoder` does it: two-space indents, `"key" : value`, an empty array
/// or object as its brackets around an empty line, optional fields left out when nil, and keys in
/// sorted order (written out below in that order for the fixed keys). Plain calls, no closures per
/// value: this runs for every byte of a file rewritten on every push.
struct JSONWriter {
    var bytes: [UInt8] = []
    private var indent = 0
    /// True right after an opening bracket: the next member or element needs no comma before it.
    private var atContainerStart = false

    mutating func document(_ document: FileStoreDocument, reusing rendered: inout FileStoreDocument.RenderedLocations?) {
        // About 470 bytes per location with its quantities: reserve once rather than grow.
        bytes.reserveCapacity(512 * document.locations.count + 1024)
        open(UInt8(ascii: "{"))
        var extras = Extras(document.extras)
        self.extras(&extras, before: "locations")
        key("locations")
        if let rendered, rendered.locations == document.locations {
            bytes.append(contentsOf: rendered.bytes)
            atContainerStart = false
        } else {
            let start = bytes.count
            open(UInt8(ascii: "["))
            for location in document.locations {
                item()
                self.location(location)
            }
            close(UInt8(ascii: "]"))
            rendered = .init(locations: document.locations, bytes: Array(bytes[start...]))
        }
        self.extras(&extras, before: "quantities")
        if let quantities = document.quantities {
            key("quantities")
            open(UInt8(ascii: "{"))
            for (locationID, skus) in Self.sortedByKey(quantities) {
                key(locationID)
                open(UInt8(ascii: "{"))
                for (sku, units) in Self.sortedByKey(skus) {
                    key(sku)
                    int(units)
                }
                close(UInt8(ascii: "}"))
            }
            close(UInt8(ascii: "}"))
        }
        self.extras(&extras, before: "requests")
        if let requests = document.requests {
            key("requests")
            open(UInt8(ascii: "["))
            for request in requests {
                item()
                answeredRequest(request)
            }
            close(UInt8(ascii: "]"))
        }
        self.extras(&extras, before: nil)
        close(UInt8(ascii: "}"))
    }

    mutating func location(_ l: FileStoreDocument.Location) {
        open(UInt8(ascii: "{"))
        var extras = Extras(l.extras)
        self.extras(&extras, before: "active")
        if let active = l.active {
            key("active")
            bool(active)
        }
        self.extras(&extras, before: "address")
        if let a = l.address {
            key("address")
            address(a)
        }
        self.extras(&extras, before: "fulfillment_service")
        if let service = l.fulfillmentService {
            key("fulfillment_service")
            bool(service)
        }
        self.extras(&extras, before: "id")
        key("id")
        string(l.id)
        self.extras(&extras, before: "name")
        key("name")
        string(l.name)
        self.extras(&extras, before: nil)
        close(UInt8(ascii: "}"))
    }

    mutating func address(_ a: FileStoreDocument.Address) {
        open(UInt8(ascii: "{"))
        var extras = Extras(a.extras)
        self.extras(&extras, before: "address1")
        if let v = a.address1 {
            key("address1")
            string(v)
        }
        self.extras(&extras, before: "address2")
        if let v = a.address2 {
            key("address2")
            string(v)
        }
        self.extras(&extras, before: "city")
        if let v = a.city {
            key("city")
            string(v)
        }
        self.extras(&extras, before: "country_code")
        if let v = a.countryCode {
            key("country_code")
            string(v)
        }
        self.extras(&extras, before: "zip")
        if let v = a.zip {
            key("zip")
            string(v)
        }
        self.extras(&extras, before: nil)
        close(UInt8(ascii: "}"))
    }

    /// Kept unknown keys, in the order they are written among the known ones.
    struct Extras {
        var sorted: [(key: String, value: [UInt8])]
        var next = 0

        init(_ extras: [String: [UInt8]]) {
            sorted = extras.isEmpty ? [] : JSONWriter.sortedByKey(extras)
        }
    }

    /// Writes the kept keys that sort before `known` (all that are left when it is nil), values as read.
    private mutating func extras(_ extras: inout Extras, before known: String?) {
        while extras.next < extras.sorted.count {
            let entry = extras.sorted[extras.next]
            if let known, !entry.key.utf8.lexicographicallyPrecedes(known.utf8) { return }
            key(entry.key)
            bytes.append(contentsOf: entry.value)
            extras.next += 1
        }
    }

    mutating func answeredRequest(_ r: FileStoreDocument.AnsweredRequest) {
        open(UInt8(ascii: "{"))
        key("key")
        string(r.key)
        key("refused")
        open(UInt8(ascii: "["))
        for w in r.refused {
            item()
            open(UInt8(ascii: "{"))
            if let expected = w.expected {
                key("expected")
                int(expected)
            }
            key("location_id")
            string(w.locationID)
            key("quantity")
            int(w.quantity)
            key("sku")
            string(w.sku)
            close(UInt8(ascii: "}"))
        }
        close(UInt8(ascii: "]"))
        close(UInt8(ascii: "}"))
    }

    // MARK: Structure

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        bytes.append(0x0A)
        indent += 1
        atContainerStart = true
    }

    /// Ends the last item's line (in an empty container, leaves an empty line) and indents the bracket.
    private mutating func close(_ bracket: UInt8) {
        bytes.append(0x0A)
        indent -= 1
        writeIndent()
        bytes.append(bracket)
        atContainerStart = false
    }

    /// Starts an array element: the comma after the previous one, a new line, the indent.
    private mutating func item() {
        if !atContainerStart {
            bytes.append(UInt8(ascii: ","))
            bytes.append(0x0A)
        }
        atContainerStart = false
        writeIndent()
    }

    /// Starts an object member: `"key" : `, then the caller writes the value.
    private mutating func key(_ name: String) {
        item()
        string(name)
        bytes.append(contentsOf: Self.colon)
    }

    private mutating func writeIndent() {
        if 2 * indent <= Self.spaces.count {
            bytes.append(contentsOf: Self.spaces[..<(2 * indent)])
        } else {
            bytes.append(contentsOf: repeatElement(0x20, count: 2 * indent))
        }
    }

    private static let colon = Array(" : ".utf8)
    private static let spaces = [UInt8](repeating: 0x20, count: 32)

    /// The entries in the order of their keys' UTF-8 bytes, as `.sortedKeys` orders them on Linux.
    ///
    /// A thousand location ids are sorted on every write. When every key is ASCII, `String`'s own
    /// `<` gives that order (it compares the UTF-8 bytes of strings known to be in normal form, as
    /// ASCII is) and is several times faster than comparing two `UTF8View`s element by element.
    static func sortedByKey<Value>(_ entries: [String: Value]) -> [(key: String, value: Value)] {
        func isASCII(_ key: String) -> Bool {
            key.utf8.withContiguousStorageIfAvailable { !$0.contains { $0 >= 0x80 } } ?? key.utf8.allSatisfy { $0 < 0x80 }
        }
        if entries.keys.allSatisfy(isASCII) {
            return entries.sorted { $0.key < $1.key }
        }
        return entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    // MARK: Scalars

    private mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    private mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    /// Escapes `"`, `\` and control characters; `/` and everything from U+007F up stay as they are.
    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            if !utf8.contains(where: Self.needsEscape) { bytes.append(contentsOf: utf8) } else { escaped(utf8) }
        }
        if copied == nil { escaped(Array(text.utf8)) }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escaped<Bytes: Collection<UInt8>>(_ utf8: Bytes) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)  // lower case, as `JSONEncoder` writes them
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default:
                bytes.append(byte)
            }
        }
    }
}
