import YAMLKit

/// libFuzzer's entry point: it calls this with each input it generates (built with
/// `-sanitize=fuzzer`, so libFuzzer supplies `main`; see `Fuzz/run.sh`).
/// Any crash, sanitizer report or hang here is a bug: every input must end in a node or a
/// `YAMLError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let node = try? YAMLParser.parse(bytes) else { return 0 }

    // MARK: Config loader
    // The config layer goes here once it exists, fed the parsed node (or the bytes), e.g.
    //     _ = try? ConfigLoader.load(node)
    // with `StockyardConfig` added to this target's dependencies in Fuzz/Package.swift.
    _ = node
    return 0
}
