import Foundation
import StockyardEngine
import Testing

/// Swift Testing has a `SourceLocation` of its own.
private typealias Location = StockyardEngine.SourceLocation

/// A location keeps its file as a number: it must still read, compare, hash and encode as the
/// file's name, line and column did.
@Suite struct SourceLocationTests {
    @Test func aLocationReadsBackItsFileLineAndColumn() {
        let long = "config/production/stockyard.yaml"
        let at = Location(file: long, line: 12, column: 7)
        #expect(at.file == long)
        #expect(at.line == 12 && at.column == 7)
        #expect(at.description == "config/production/stockyard.yaml:12:7")
        #expect(Location(file: "", line: 1, column: 1).file == "")
    }

    @Test func theSameNameIsTheSameNumberAndAnotherNameAnother() {
        let a = Location.FileName("same-\(UUID().uuidString).yaml")
        #expect(Location.FileName(a.name) == a)
        #expect(Location.FileName(a.name + "x") != a)
        // Made from a number or from the name: one location.
        #expect(Location(file: a, line: 3, column: 4) == Location(file: a.name, line: 3, column: 4))
        #expect(Set([Location(file: a, line: 3, column: 4), Location(file: a.name, line: 3, column: 4)]).count == 1)
    }

    @Test func locationsSortByFileNameThenLineThenColumnWhateverOrderTheNamesWereNumberedIn() {
        // Numbered in the reverse of their order by name.
        let names = ["zeta-\(UUID().uuidString)", "beta-\(UUID().uuidString)", "alpha-\(UUID().uuidString)"]
        let numbered = names.map { Location.FileName($0) }
        var all: [Location] = []
        for file in numbered {
            for line in [10, 2] { for column in [5, 1] { all.append(Location(file: file, line: line, column: column)) } }
        }
        let expected = all.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
        #expect(all.sorted() == expected)
        #expect(all.sorted().first?.file == names[2])
        #expect(Location(file: "a", line: 9, column: 9) < Location(file: "b", line: 1, column: 1))
        #expect(!(Location(file: "a", line: 2, column: 1) < Location(file: "a", line: 1, column: 9)))
    }

    @Test func encodedAsTheFilesNameLineAndColumn() throws {
        let at = Location(file: "stores/web.yaml", line: 40, column: 3)
        let data = try JSONEncoder().encode(at)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["file"] as? String == "stores/web.yaml")
        #expect(object["line"] as? Int == 40 && object["column"] as? Int == 3)
        #expect(try JSONDecoder().decode(Location.self, from: data) == at)
    }

    @Test func aLineOrColumnPastThirtyTwoBitsIsKeptAsTheLargest() {
        let at = Location(file: "big.yaml", line: Int(Int32.max) + 10, column: 1)
        #expect(at.line == Int(Int32.max))
        #expect(Location(file: "big.yaml", line: 5, column: -3).column == -3)
    }
}
