import Foundation
import StockyardConfig
import StockyardEngine
import YAMLKit

/// Which reader this run fuzzes: `STOCKYARD_FUZZ_TARGET` = `config` (the default: the YAML
/// parser and the config loader), `plan` (the saved-plan reader `apply` and `show` use) or
/// `store` (the `file` store's reader). Set by `Fuzz/run.sh TARGET`.
let target = ProcessInfo.processInfo.environment["STOCKYARD_FUZZ_TARGET"] ?? "config"

/// libFuzzer's entry point: it calls this with each input it generates (built with
/// `-sanitize=fuzzer`, so libFuzzer supplies `main`; see `Fuzz/run.sh`).
/// Any crash, sanitizer report or hang here is a bug: every input must end in a value or an
/// error the reader defines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    switch target {
    case "plan": fuzzPlan(Data(bytes))
    case "store": fuzzStore(Array(bytes))
    default: fuzzConfig(bytes)
    }
    return 0
}

/// YAMLKit, then the config layer: decoding, then every check that needs no store.
func fuzzConfig(_ bytes: UnsafeBufferPointer<UInt8>) {
    _ = try? YAMLParser.parse(bytes)
    let loaded = ConfigLoader.load(bytes: Array(bytes), file: "fuzz.yaml")
    _ = loaded.allDiagnostics(today: Day(year: 2026, month: 6, day: 1))
}

/// A plan file as `apply` reads it: decoded, and what a decoded plan is used for (rendering it
/// again, summing it, the apply guards against an empty state).
func fuzzPlan(_ data: Data) {
    guard let plan = try? PlanDocument.decode(data, file: "fuzz.json") else { return }
    for format in PlanFormat.allCases { _ = PlanRenderer.render(plan, as: format, color: false) }
    let state = HubState(lineage: "fuzz")
    _ = PlanGuard.staleness(of: plan, against: state)
    _ = PlanGuard.safety(of: plan, state: state, thresholds: SafetyThresholds(), options: .init())
    _ = PlanGuard.conformance(of: plan, to: plan, state: state)
}

/// A `file` store as the adapter reads it, and as it writes it back after a push: the reader's
/// own source files are linked into this target (`StoreFile/`), so the fuzzer calls the reader
/// itself, not through a file. A store file the reader accepts must be written back as one it
/// accepts again, unchanged by a second round: apply rewrites the file after every push.
func fuzzStore(_ data: [UInt8]) {
    fuzzSKUScan(data)
    // A plan's read (each location's numbers checked, then read only when asked for) refuses what
    // the whole read refuses, and reads the same numbers.
    let whole = try? FileStoreDocument.read(data)
    let deferred = try? FileStoreDocument.readDeferringQuantities(data)
    guard (whole == nil) == (deferred == nil) else { fatalError("a plan's read and the whole read disagree") }
    if let whole, let deferred {
        for id in (whole.quantities ?? [:]).keys where (try? deferred.1.quantities(of: id)) != whole.quantities?[id].map(SKUNumbers.init) {
            fatalError("a plan's read gives other numbers than the whole read")
        }
    }
    guard let document = try? FileStoreDocument.decode(data, file: "fuzz.json") else { return }
    _ = document.storeLocations
    var rendered: FileStoreDocument.RenderedLocations?
    let written = document.encodedJSON(reusing: &rendered)
    guard let again = try? FileStoreDocument.decode(Array(written), file: "written.json") else {
        fatalError("the store file reader refuses what its writer wrote from an accepted file")
    }
    var fresh: FileStoreDocument.RenderedLocations?
    guard again.encodedJSON(reusing: &fresh) == written else {
        fatalError("writing a store file that was read back changes it")
    }
}

/// Every way of scanning a plain SKU object (a byte at a time, SSE2, AVX2 where the processor has
/// it) agrees with the Swift scan (keys in any order, none twice), from each of the first `{` of
/// the input.
func fuzzSKUScan(_ data: [UInt8]) {
    data.withUnsafeBufferPointer { buffer in
        for start in buffer.indices.lazy.filter({ buffer[$0] == UInt8(ascii: "{") }).prefix(4) {
            var keys: [ArraySlice<UInt8>] = []
            let end = JSONReader.plainSKUs(buffer, from: start, ascending: false) { key, _ in keys.append(data[key]) }
            let expected = Set(keys).count == keys.count ? end : nil
            for way: Int32 in [0, 1, 2] where JSONReader.scanPlainSKUs(buffer, from: start, way: way) != expected {
                fatalError("the SKU scan by way \(way) disagrees with the Swift scan")
            }
            if JSONReader.swiftScan(buffer, from: start) != expected { fatalError("the Swift SKU scan of keys in any order disagrees") }
        }
    }
}
