import Testing
import YAMLKit

@Suite("Positions")
struct PositionTests {
    @Test func positionsOfKeysValuesItemsAndNestedNodes() throws {
        let root = try YAMLParser.parse(try fixture("positions.yaml"))
        #expect(root.mark == mark(2, 1))
        #expect(root.keyNode("version")?.mark == mark(2, 1))
        #expect(root["version"]?.mark == mark(2, 10))
        #expect(root.keyNode("stores")?.mark == mark(3, 1))

        let stores = try #require(root["stores"])
        #expect(stores.mark == mark(4, 3))
        let main = try #require(stores["main"])
        #expect(stores.keyNode("main")?.mark == mark(4, 3))
        #expect(main.mark == mark(5, 5))
        #expect(main["platform"]?.mark == mark(5, 15))

        let locations = try #require(main["locations"]?.sequence)
        #expect(main["locations"]?.mark == mark(7, 7))
        #expect(locations.count == 2)
        #expect(locations[0].mark == mark(7, 9))
        #expect(locations[0].scalar == YAMLScalar(value: "Warehouse A", style: .doubleQuoted))
        #expect(locations[1].mark == mark(8, 9))
        #expect(locations[1].keyNode("name")?.mark == mark(8, 9))
        #expect(locations[1]["name"]?.mark == mark(8, 15))
        #expect(locations[1].keyNode("code")?.mark == mark(9, 9))
        #expect(locations[1]["code"]?.mark == mark(9, 15))

        #expect(root["notes"]?.mark == mark(10, 8))
        #expect(root["notes"]?.scalar == YAMLScalar(value: "line one\nline two\n", style: .literal))
    }

    @Test func flowCollectionPositions() throws {
        let root = try parse("a: [x, {k: v}, 'y']\n")
        let items = try #require(root["a"]?.sequence)
        #expect(root["a"]?.mark == mark(1, 4))
        #expect(items.map(\.mark) == [mark(1, 5), mark(1, 8), mark(1, 16)])
        #expect(items[1].keyNode("k")?.mark == mark(1, 9))
        #expect(items[1]["k"]?.mark == mark(1, 12))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let root = try parse("ä: ö\n")
        #expect(root["ä"]?.mark == mark(1, 4))
    }

    @Test func byteOrderMarkDoesNotShiftColumns() throws {
        let root = try YAMLParser.parse([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8))
        #expect(root.keyNode("a")?.mark == mark(1, 1))
        #expect(root["a"]?.mark == mark(1, 4))
    }

    @Test func crlfLineEndingsCountOneLine() throws {
        let root = try parse("a: 1\r\nb: 2\r\n")
        #expect(root["b"]?.mark == mark(2, 4))
    }

    @Test func marksOrderBySourcePosition() {
        #expect(mark(1, 9) < mark(2, 1))
        #expect(mark(2, 1) < mark(2, 2))
        #expect(mark(3, 4).description == "3:4")
    }
}
