import Foundation
import StockyardAdapters
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
    case "store": fuzzStore(Data(bytes))
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

/// A `file` store as the adapter reads it, through a scratch file (the reader takes a path).
let storeFile: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(folder)/stockyard-fuzz-store-\(getpid()).json"
}()

func fuzzStore(_ data: Data) {
    guard FileManager.default.createFile(atPath: storeFile, contents: data) else { return }
    let adapter = FileStoreAdapter(path: storeFile, displayPath: "fuzz.json")
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        if let locations = try? await adapter.locations() {
            _ = try? await adapter.quantities(at: locations.map(\.id))
        }
        done.signal()
    }
    done.wait()
}
