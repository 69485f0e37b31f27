import CStockyardBuild
import Foundation
import StockyardEngine
import Testing

@testable import StockyardCLI

/// Small parts of the plan service: which stores a selection reads, and how many stock numbers a
/// plan was made from (which decides whether they are freed beside the output or kept to the exit).
@Suite struct PlanServicePartsTests {
    static func store(_ key: String) -> StoreSpec {
        StoreSpec(key: key, platform: .file, path: "\(key).json", location: SourceLocation(file: "stockyard.yaml", line: 1, column: 1))
    }

    @Test func everyStoreInConfigOrderWithoutASelectionAndOnlyTheChosenWithOne() {
        let config = DesiredConfig(file: "stockyard.yaml", sha256: "", stores: [Self.store("web"), Self.store("pos"), Self.store("eu")])
        #expect(PlanService.chosenStores(config, nil).map(\.key) == ["web", "pos", "eu"])
        #expect(PlanService.chosenStores(config, ["eu", "web"]).map(\.key) == ["web", "eu"])
        #expect(PlanService.chosenStores(config, []).isEmpty)
    }

    @Test func numbersHeldCountsTheStateStockAndEveryReadLocationsNumbers() {
        var state = HubState()
        state.stock = ["leeds": ["A": 1, "B": 0], "york": [:], "hull": ["A": 5]]
        let readings: [String: StoreReading] = [
            "web": .read(StoreFacts(storeKey: "web", locations: [], quantities: ["l1": ["A": 1, "B": 2, "C": 3], "l2": [:]])),
            "pos": .read(StoreFacts(storeKey: "pos", locations: [], quantities: ["l3": ["A": 7]])),
            "eu": .failed(message: "unreadable", location: nil),
        ]
        #expect(PlanService.numbersHeld(by: (state, readings)) == 3 + 4)
        #expect(PlanService.numbersHeld(by: (HubState(), [:])) == 0)
    }
}

/// A first plan (no state, so no store it names) reads ahead the store files the config's text
/// seems to give, only those the trust policy lets a store use, and plans as without them.
@Suite struct FirstPlanReadAheadTests {
    @Test func theConfigsStoreFilesAreReadAheadWithinTheConfigsFolderOnly() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-readahead-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("stores"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/demo")
        try FileManager.default.copyItem(at: demo.appendingPathComponent("stores/web.json"), to: folder.appendingPathComponent("stores/web.json"))
        try FileManager.default.copyItem(at: demo.appendingPathComponent("stores/web.json"), to: root.appendingPathComponent("outside.json"))
        // Settled files only are taken ahead (not changed within the last two seconds).
        try await Task.sleep(for: .milliseconds(2_200))
        let config = folder.appendingPathComponent("stockyard.yaml")
        try Data(
            """
            version: 1
            stores:
              web:
                platform: file
                path: stores/web.json
              other:
                platform: file
                path: ../outside.json
            """.utf8
        ).write(to: config)
        let service = PlanService(
            configPath: config.path, configDisplayPath: "stockyard.yaml", statePath: root.appendingPathComponent("state.sqlite").path,
            selectedStores: nil, excludedStores: [])
        let early = try #require(service.startReadingState())
        var waited = 0
        while early.readAhead.count == 0, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        early.readAhead.stop()
        #expect(early.readAhead.count == 1)
        #expect(Array(early.readAhead.rememberedRealPaths.keys) == ["stores/web.json"])
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("state.sqlite").path))
    }

    /// The read-ahead's thread yields to the others (the config's parse) by a priority of its
    /// own: the thread that lowered its priority has it lowered, the others keep theirs.
    @Test func aLoweredPriorityIsTheCallingThreadsOnly() {
        let here = stockyard_thread_priority()
        final class Seen: @unchecked Sendable {
            var before: Int32 = 0
            var after: Int32 = 0
            let done = DispatchSemaphore(value: 0)
        }
        let seen = Seen()
        Thread {
            seen.before = stockyard_thread_priority()
            stockyard_lower_thread_priority()
            seen.after = stockyard_thread_priority()
            seen.done.signal()
        }.start()
        seen.done.wait()
        #if os(Linux)
            #expect(seen.after == min(19, seen.before + 10))
        #endif
        #expect(stockyard_thread_priority() == here)
    }

    /// Whether a plan starts over on huge pages is decided by the size of the config its
    /// arguments name, read before they are parsed: however `--config` is given, or the default.
    @Test func theConfigSizeIsFoundFromTheArguments() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-size-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("big.yaml")
        try Data(repeating: 0x23, count: 1234).write(to: file)
        for arguments in [["--config", file.path], ["--config=\(file.path)"], ["-c", file.path], ["--format", "json", "--config", file.path]] {
            #expect(MallocArenas.configSize(["stockyard", "plan"] + arguments) == 1234, "\(arguments)")
        }
        #expect(MallocArenas.configSize(["stockyard", "plan", "--config", folder.path]) == nil)
        #expect(MallocArenas.configSize(["stockyard", "plan", "--config", folder.appendingPathComponent("missing.yaml").path]) == nil)
        #expect(MallocArenas.configSize(["stockyard", "plan", "--", "--config", file.path]) == nil || FileManager.default.fileExists(atPath: "stockyard.yaml"))
    }

    /// The config's text is read ahead only from a regular file: from a pipe, the loader's read
    /// would lose what this one took.
    @Test func onlyARegularFileIsScanned() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-regular-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("stockyard.yaml")
        try Data("version: 1\n".utf8).write(to: file)
        let fifo = folder.appendingPathComponent("fifo.yaml")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        #expect(PlanService.isRegularFile(file.path))
        #expect(!PlanService.isRegularFile(fifo.path))
        #expect(!PlanService.isRegularFile(folder.path))
        #expect(!PlanService.isRegularFile(folder.appendingPathComponent("missing.yaml").path))
    }
}
