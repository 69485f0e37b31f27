/// What linking on a master does to the numbers, as a link's note says it.
enum LinkEffect: Sendable {
    /// Store master, into a warehouse the plan creates.
    case copiedIntoNew(warehouse: String)
    /// Store master, into a warehouse that exists.
    case overwritesWarehouse(warehouse: String)
    /// Stockyard master, from a warehouse the plan creates and fills from a store-master location.
    case pushesFromNewFilled(warehouse: String, seedStore: String, seedLocation: String)
    /// Stockyard master, from a warehouse the plan creates and nothing fills.
    case pushesFromNew(warehouse: String)
    /// Stockyard master, from a warehouse that exists.
    case pushes(warehouse: String)

    var text: String {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``text``'s bytes, appended: a plan's JSON writes them straight into its output.
    func write(into out: inout [UInt8]) {
        switch self {
        case .copiedIntoNew(let warehouse):
            out.append(contentsOf: "store master: the location's numbers are copied into new warehouse '".utf8)
            out.append(contentsOf: warehouse.utf8)
            out.append(UInt8(ascii: "'"))
        case .overwritesWarehouse(let warehouse):
            out.append(contentsOf: "store master: the location's numbers overwrite warehouse '".utf8)
            out.append(contentsOf: warehouse.utf8)
            out.append(UInt8(ascii: "'"))
        case .pushesFromNewFilled(let warehouse, let store, let location):
            out.append(contentsOf: "stockyard master: new warehouse '".utf8)
            out.append(contentsOf: warehouse.utf8)
            out.append(contentsOf: "', filled from ".utf8)
            out.append(contentsOf: ConnectionAddress.format(store: store, location: location).utf8)
            out.append(contentsOf: ", pushes its numbers to the location, overwriting the store's".utf8)
        case .pushesFromNew(let warehouse):
            out.append(contentsOf: "stockyard master: new warehouse '".utf8)
            out.append(contentsOf: warehouse.utf8)
            out.append(
                contentsOf:
                    "' pushes its numbers to the location, which sets the location's stock to what the warehouse holds (nothing, unless another link fills it first)"
                    .utf8)
        case .pushes(let warehouse):
            out.append(contentsOf: "stockyard master: warehouse '".utf8)
            out.append(contentsOf: warehouse.utf8)
            out.append(contentsOf: "' pushes its numbers to the location, overwriting the store's".utf8)
        }
    }
}
