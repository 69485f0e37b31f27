import Foundation
import Testing

/// Many stores in files are read a few to a task: every store's reading reaches the plan, under
/// its own name, and a store that cannot be read is said once, with its own file, among them.
@Suite struct ManyStoresPlanTests {
    /// A config of `count` stores of one location each, linked on store master to a warehouse
    /// each; store `i` holds `i + 1` units of SKU-1.
    static func folder(stores count: Int) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-many-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("stores"), withIntermediateDirectories: true)
        var yaml = "version: 1\nwarehouses:\n"
        for i in 0..<count { yaml += "  w\(i):\n    name: Warehouse \(i)\n    code: W\(i)\n    kind: own\n" }
        yaml += "stores:\n"
        for i in 0..<count {
            yaml += "  s\(i):\n    platform: file\n    path: stores/s\(i).json\n    locations:\n      Shop:\n        warehouse: w\(i)\n        master: store\n"
            let address = #"{"address1": "\#(i) High Street", "city": "York", "zip": "YO1", "country_code": "GB"}"#
            let file = #"{"locations": [{"id": "L", "name": "Shop", "active": true, "address": \#(address)}], "quantities": {"L": {"SKU-1": \#(i + 1)}}}"#
            try Data(file.utf8).write(to: dir.appendingPathComponent("stores/s\(i).json"))
        }
        try Data(yaml.utf8).write(to: dir.appendingPathComponent("stockyard.yaml"))
        return dir
    }

    @Test func everyStoresNumbersReachThePlan() throws {
        let dir = try Self.folder(stores: 300)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLIRunner.run(["plan", "--format", "json", "--state", "state.sqlite"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let changes = try #require(plan["changes"] as? [[String: Any]])
        var units: [String: Int] = [:]
        for change in changes where change["kind"] as? String == "connection" {
            let impact = try #require(change["impact"] as? [String: Any])
            units[try #require(change["store"] as? String)] = impact["units_up"] as? Int
        }
        #expect(units == Dictionary(uniqueKeysWithValues: (0..<300).map { ("s\($0)", $0 + 1) }))
    }

    @Test func aStoreThatCannotBeReadIsSaidAmongTheOthers() throws {
        let dir = try Self.folder(stores: 300)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("stores/s37.json"))
        try Data("{\"locations\": [\n  {\"id\": \"L\" \"name\": \"Shop\"}]}".utf8).write(to: dir.appendingPathComponent("stores/s201.json"))
        let result = try CLIRunner.run(["plan", "--state", "state.sqlite"], in: dir)
        #expect(result.status == 1)
        let unreadable = result.stdout.split(separator: "\n").filter { $0.contains("[store-unreadable]") }
        #expect(unreadable.count == 2, "\(result.stdout)")
        #expect(unreadable.contains { $0.contains("store 's37' could not be read") && $0.contains("stores/s37.json") })
        #expect(unreadable.contains { $0.contains("store 's201' could not be read: stores/s201.json:2:") })
    }
}
