import Foundation
import StockyardEngine
import StockyardTestSupport
import Synchronization
import Testing

@testable import StockyardAdapters

/// A store file checked ahead of a plan is taken only when it is the very file the plan reads:
/// the facts are those of a plain read, a file changed since is read anew, and a file that fails
/// its check, is too small or changed too recently is left to the plain read.
@Suite struct FileStoreReadAheadTests {
    /// A store file of `count` locations with a few SKUs each.
    /// `reversed`: the locations' numbers in the other order (the same size, each elsewhere).
    static func storeFile(_ count: Int, units: Int = 5, reversed: Bool = false) -> String {
        let locations = (0..<count).map { #"{"id": "L\#($0)", "name": "Location \#($0)", "active": true}"# }
        var quantities = (0..<count).map { #""L\#($0)": {"SKU-1": \#(units), "SKU-2": \#($0 % 7)}"# }
        if reversed { quantities.reverse() }
        return #"{"locations": ["# + locations.joined(separator: ",\n") + #"], "quantities": {"# + quantities.joined(separator: ",\n") + "}}\n"
    }

    final class Folder: Sendable {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("read-ahead-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        func write(_ text: String, _ name: String) throws -> String {
            let path = url.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    static func facts(_ adapter: FileStoreAdapter, wanting ids: Set<String>) async throws -> StoreFacts {
        try await adapter.readFacts(storeKey: "web") { _ in ids }
    }

    /// Large files, and small ones (a store of a few locations is still mostly its parse).
    @Test(arguments: [2000, 3]) func aFileCheckedAheadGivesThePlainReadsFacts(locations: Int) async throws {
        let folder = try Folder()
        let path = try folder.write(Self.storeFile(locations), "web.json")
        let ahead = FileStoreReadAhead(settled: 0)
        ahead.check(paths: [path])
        #expect(ahead.count == 1)
        let wanted: Set<String> = ["L0", "L1", "L\(locations - 1)", "missing"]
        let taken = try await Self.facts(FileStoreAdapter(path: path, readAhead: ahead), wanting: wanted)
        #expect(ahead.count == 0)
        let plain = try await Self.facts(FileStoreAdapter(path: path), wanting: wanted)
        #expect(taken == plain)
        #expect(taken.quantities["L1"] == ["SKU-1": 5, "SKU-2": 1])
    }

    /// Only the pieces of the file holding the wanted locations' numbers are read again (near ones
    /// as one piece, far ones apart): whichever locations are wanted, the numbers are the plain read's.
    @Test func anyChoiceOfLocationsGivesThePlainReadsNumbers() async throws {
        let folder = try Folder()
        let path = try folder.write(Self.storeFile(3000, units: 9), "web.json")
        let all = Set((0..<3000).map { "L\($0)" })
        let plain = try await Self.facts(FileStoreAdapter(path: path), wanting: all)
        var generator = SeededGenerator(seed: 7)
        let choices: [Set<String>] =
            [all, ["L0"], ["L2999"], ["L0", "L2999"], ["L5", "L6", "L7", "nowhere"], []]
            + (0..<20).map { _ in Set(all.filter { _ in Int.random(in: 0..<40, using: &generator) == 0 }) }
        for wanted in choices {
            let taken = try await Self.factsFromPieces(path, wanting: wanted)
            #expect(Set(taken.quantities.keys) == wanted)
            for id in wanted { #expect(taken.quantities[id] == (plain.quantities[id] ?? [:]), "\(id)") }
        }
    }

    /// Numbers that are not plain (keys escaped, not ASCII, out of order; spaces around them) are
    /// read from a piece as from the whole file.
    @Test func numbersThatAreNotPlainReadFromAPieceAsFromTheFile() async throws {
        let folder = try Folder()
        var text = Self.storeFile(2000)
        let odd = #"{ "Z\u00e9" : 3 , "é": -1000000000, "A\"B": 0,"A": 1000000000 }"#
        text = text.replacingOccurrences(of: #""L7": {"SKU-1": 5, "SKU-2": 0}"#, with: #""L7": "# + odd)
        text = text.replacingOccurrences(of: #""L1500": {"SKU-1": 5, "SKU-2": 2}"#, with: #""L1500":"# + odd)
        #expect(text.utf8.count > FileStoreReadAhead.smallFile)
        let path = try folder.write(text, "web.json")
        let wanted: Set<String> = ["L7", "L1500", "L8"]
        let plain = try await Self.facts(FileStoreAdapter(path: path), wanting: wanted)
        #expect(plain.quantities["L7"] == ["Zé": 3, "é": -1_000_000_000, "A\"B": 0, "A": 1_000_000_000])
        #expect(plain.quantities["L1500"] == plain.quantities["L7"])
        #expect(try await Self.factsFromPieces(path, wanting: wanted) == plain)
    }

    /// The facts of the file at `path` checked ahead, its numbers read from its pieces: the stores
    /// are asked once for the locations they want (a piece that did not read as checked would have
    /// the file read again, whole, and them asked again).
    static func factsFromPieces(_ path: String, wanting wanted: Set<String>) async throws -> StoreFacts {
        let ahead = FileStoreReadAhead(settled: 0)
        ahead.check(paths: [path])
        let asked = Mutex(0)
        let facts = try await FileStoreAdapter(path: path, readAhead: ahead).readFacts(storeKey: "web") { _ in
            asked.withLock { $0 += 1 }
            return wanted
        }
        #expect(ahead.count == 0 && asked.withLock { $0 } == 1)
        return facts
    }

    /// A piece is read only from the file checked: another version (other times) or a file that
    /// ends before the piece gives nothing.
    @Test func piecesComeOnlyFromTheFileChecked() throws {
        let folder = try Folder()
        let path = try folder.write("0123456789", "piece.txt")
        var info = stat()
        #expect(stat(path, &info) == 0)
        let identity = FileStoreReadAhead.Identity(info)
        #expect(StoreFile.pieces(path, ranges: [1..<3, 7..<10], ifStill: identity) == [Array("12".utf8), Array("789".utf8)])
        #expect(StoreFile.pieces(path, ranges: [7..<11], ifStill: identity) == nil)
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        #expect(StoreFile.pieces(path, ranges: [1..<3], ifStill: identity) == nil)
        #expect(StoreFile.pieces(folder.url.appendingPathComponent("gone").path, ranges: [1..<3], ifStill: identity) == nil)
    }

    /// A small file's bytes are kept with its check, within the budget, and its numbers read
    /// from them; a file over the budget is read again where its numbers are. The same facts.
    @Test func smallFilesKeepTheirBytesWithinTheBudget() async throws {
        let folder = try Folder()
        let paths = try (0..<3).map { try folder.write(Self.storeFile(20, units: $0), "s\($0).json") }
        let size = try Data(contentsOf: URL(fileURLWithPath: paths[0])).count
        let ahead = FileStoreReadAhead(settled: 0, keptBytesBudget: 2 * size + 10)
        ahead.check(paths: paths)
        #expect(ahead.take(paths[0])?.bytes?.count == size)
        #expect(ahead.take(paths[1])?.bytes != nil)
        #expect(ahead.take(paths[2])?.bytes == nil)
        // What was taken is given back to the budget, and so is a file checked again.
        ahead.check(paths: [paths[2], paths[2], paths[2]])
        #expect(ahead.take(paths[2])?.bytes != nil)
        ahead.check(paths: [paths[0], paths[0], paths[1]])
        #expect(ahead.take(paths[1])?.bytes != nil)
        for budget in [0, 1 << 20] {
            let ahead = FileStoreReadAhead(settled: 0, keptBytesBudget: budget)
            ahead.check(paths: paths)
            for (units, path) in paths.enumerated() {
                let facts = try await Self.facts(FileStoreAdapter(path: path, readAhead: ahead), wanting: ["L4", "L19", "gone"])
                #expect(facts == (try await Self.facts(FileStoreAdapter(path: path), wanting: ["L4", "L19", "gone"])))
                #expect(facts.quantities["L4"] == ["SKU-1": units, "SKU-2": 4])
            }
        }
    }

    /// A small file whose bytes were kept, changed after its check: read anew, not taken from them.
    @Test func aSmallFileChangedAfterItsCheckIsReadAnew() async throws {
        let folder = try Folder()
        for inPlace in [false, true] {
            let (path, ahead) = try Self.checkedAhead(Self.storeFile(20, units: 5), in: folder)
            try Self.replace(path, with: Self.storeFile(20, units: 6, reversed: true), in: folder, inPlace: inPlace)
            let facts = try await Self.facts(FileStoreAdapter(path: path, readAhead: ahead), wanting: ["L3"])
            #expect(facts.quantities["L3"] == ["SKU-1": 6, "SKU-2": 3], "in place: \(inPlace)")
        }
    }

    /// `web.json` of this text, checked ahead.
    static func checkedAhead(_ text: String, in folder: Folder) throws -> (path: String, ahead: FileStoreReadAhead) {
        let path = try folder.write(text, "web.json")
        let ahead = FileStoreReadAhead(settled: 0)
        ahead.check(paths: [path])
        #expect(ahead.count == 1)
        return (path, ahead)
    }

    /// Replaces the file's text by a rename (another inode), or writes it in place and sets other times.
    static func replace(_ path: String, with text: String, in folder: Folder, inPlace: Bool) throws {
        if inPlace {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
            var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        } else {
            let other = try folder.write(text, "web.json.new")
            #expect(rename(other, path) == 0)
        }
    }

    /// Replaced by a rename (another inode) or written in place with other times: read anew.
    @Test func aFileChangedAfterItsCheckIsReadAnew() async throws {
        let folder = try Folder()
        for inPlace in [false, true] {
            let (path, ahead) = try Self.checkedAhead(Self.storeFile(2000, units: 5), in: folder)
            // The same size, other numbers, each location's where another's was.
            let changed = Self.storeFile(2000, units: 6, reversed: true)
            #expect(changed.utf8.count == Self.storeFile(2000, units: 5).utf8.count)
            try Self.replace(path, with: changed, in: folder, inPlace: inPlace)
            let facts = try await Self.facts(FileStoreAdapter(path: path, readAhead: ahead), wanting: ["L3"])
            #expect(facts.quantities["L3"] == ["SKU-1": 6, "SKU-2": 3], "in place: \(inPlace)")
        }
    }

    /// Taken unread for its locations, then changed before its numbers are read (replaced by a
    /// rename, or written in place with other times): the file is read again, whole, so that the
    /// locations and the numbers are both those of the file as it is then.
    @Test func aFileChangedBeforeItsNumbersAreReadIsReadAgainWhole() async throws {
        let folder = try Folder()
        for inPlace in [false, true] {
            let (path, ahead) = try Self.checkedAhead(Self.storeFile(2000, units: 5), in: folder)
            let changed = Self.storeFile(2001, units: 6, reversed: true)
            let asked = Mutex<[Int]>([])
            let facts = try await FileStoreAdapter(path: path, readAhead: ahead).readFacts(storeKey: "web") { locations in
                let first = asked.withLock {
                    $0.append(locations.count)
                    return $0.count == 1
                }
                if first { #expect(throws: Never.self) { try Self.replace(path, with: changed, in: folder, inPlace: inPlace) } }
                return ["L3", "L2000"]
            }
            #expect(asked.withLock { $0 } == [2000, 2001], "in place: \(inPlace)")
            #expect(facts.locations.count == 2001)
            #expect(facts.quantities["L3"] == ["SKU-1": 6, "SKU-2": 3], "in place: \(inPlace)")
            #expect(facts.quantities["L2000"] == ["SKU-1": 6, "SKU-2": 5])
        }
    }

    @Test func filesThatFailTheirCheckOrJustChangedAreLeftToThePlainRead() async throws {
        let folder = try Folder()
        var broken = Self.storeFile(2000)
        broken.insert(",", at: broken.index(broken.endIndex, offsetBy: -3))
        let brokenPath = try folder.write(broken, "broken.json")
        let fresh = try folder.write(Self.storeFile(2000), "fresh.json")
        let settled = FileStoreReadAhead(settled: 0)
        settled.check(paths: [brokenPath, folder.url.appendingPathComponent("missing.json").path])
        #expect(settled.count == 0)
        let recent = FileStoreReadAhead(settled: 3600)
        recent.check(paths: [fresh])
        #expect(recent.count == 0)
        // The plain read's error, as without a read-ahead.
        await #expect(throws: FileStoreError.self) { _ = try await Self.facts(FileStoreAdapter(path: brokenPath, readAhead: settled), wanting: []) }
    }

    @Test func stoppedItChecksNoMore() throws {
        let folder = try Folder()
        let path = try folder.write(Self.storeFile(2000), "web.json")
        let ahead = FileStoreReadAhead(settled: 0)
        ahead.stop()
        ahead.check(paths: [path])
        #expect(ahead.count == 0)
    }
}
