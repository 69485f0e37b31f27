import StockyardConfig
import StockyardEngine
import Testing

/// Stores are decoded on every core, each part by a decoder of its own: what comes out must be
/// what one decoder going through the file in order finds.
@Suite struct ManyStoresTests {
    /// `count` stores of two locations each; every third store has a key no store may have (it is
    /// dropped, and its warehouses count as linked), every fifth a connection to a warehouse that
    /// does not exist.
    static func config(stores count: Int) -> String {
        var text = "version: 1\nwarehouses:\n"
        for w in 0..<(count * 2) { text += "  w\(w):\n    name: Warehouse \(w)\n" }
        text += "stores:\n"
        for s in 0..<count {
            text += "  s\(s):\n    platform: file\n    path: stores/s\(s).json\n"
            if s % 3 == 0 { text += "    colour: red\n" }
            text += "    locations:\n"
            text += "      Location A:\n        warehouse: w\(s * 2)\n"
            text += "      Location B:\n        warehouse: \(s % 5 == 0 ? "missing-\(s)" : "w\(s * 2 + 1)")\n"
        }
        return text
    }

    @Test func storesAndProblemsComeOutInFileOrder() throws {
        let count = 61
        let loaded = ConfigLoader.load(bytes: Array(Self.config(stores: count).utf8), file: "stockyard.yaml")
        let config = try #require(loaded.config)
        let kept = (0..<count).filter { $0 % 3 != 0 }
        #expect(config.stores.map(\.key) == kept.map { "s\($0)" })
        #expect(config.stores.map { $0.connections.map(\.warehouseKey) } == kept.map { ["w\($0 * 2)", $0 % 5 == 0 ? "missing-\($0)" : "w\($0 * 2 + 1)"] })
        let unknown = loaded.diagnostics.filter { $0.rule == .unknownKey }
        #expect(unknown.count == (0..<count).filter { $0 % 3 == 0 }.count)
        let lines = unknown.compactMap { $0.location?.line }
        #expect(lines.count == unknown.count && lines == lines.sorted(), "in the order of the file")
        let dropped = Set((0..<count).filter { $0 % 3 == 0 }.flatMap { ["w\($0 * 2)", $0 % 5 == 0 ? "missing-\($0)" : "w\($0 * 2 + 1)"] })
        #expect(loaded.warehousesOfDroppedConnections == dropped)
        // The same file decoded again gives the same bytes of every message, in the same order.
        let again = ConfigLoader.load(bytes: Array(Self.config(stores: count).utf8), file: "stockyard.yaml")
        #expect(again.diagnostics.map(\.message) == loaded.diagnostics.map(\.message))
    }
}
