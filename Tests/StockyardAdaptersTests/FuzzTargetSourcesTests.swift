import Foundation
import Testing

/// The fuzz package (`Fuzz/`, built only by `Fuzz/run.sh`) compiles the `file` store's reader from
/// links to its source files. A new file the reader needs, left unlinked, breaks that build
/// silently, since nothing else builds it: this holds the links to the reader's files.
@Suite struct FuzzTargetSourcesTests {
    @Test func theStoreFuzzTargetLinksEveryFileOfTheStoreFileReader() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let adapters = root.appendingPathComponent("Sources/StockyardAdapters")
        let linked = root.appendingPathComponent("Fuzz/Sources/StockyardFuzz/StoreFile")
        let files = try FileManager.default.contentsOfDirectory(atPath: adapters.path)
        let reader = files.filter { $0.hasPrefix("FileStoreDocument") || $0.hasPrefix("JSONReader") || $0 == "FileStoreError.swift" }
        #expect(reader.count >= 5)
        for name in reader.sorted() {
            let link = linked.appendingPathComponent(name).path
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link)
            #expect(target == "../../../../Sources/StockyardAdapters/\(name)", "Fuzz/Sources/StockyardFuzz/StoreFile/\(name) should link to it")
        }
    }
}
