import StockyardConfig
import StockyardEngine
import YAMLKit

/// libFuzzer's entry point: it calls this with each input it generates (built with
/// `-sanitize=fuzzer`, so libFuzzer supplies `main`; see `Fuzz/run.sh`).
/// Any crash, sanitizer report or hang here is a bug: every input must end in a node or a
/// `YAMLError`, and every config in diagnostics.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    _ = try? YAMLParser.parse(bytes)

    // The config layer: decoding, then every check that needs no store.
    let loaded = ConfigLoader.load(bytes: Array(bytes), file: "fuzz.yaml")
    _ = loaded.allDiagnostics(today: Day(year: 2026, month: 6, day: 1))
    return 0
}
