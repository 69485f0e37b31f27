import Foundation
import StockyardEngine
import YAMLKit

/// What loading a config file gave: the typed config when it has no errors, and every diagnostic.
public struct LoadedConfig: Sendable {
    /// What could be decoded; objects with errors of their own are left out. `nil` when the file
    /// is not YAML or not a mapping.
    public var config: DesiredConfig?
    /// Problems in the file itself (syntax, keys, types), before any cross-reference check.
    public var diagnostics: [Diagnostic]
    /// The file's bytes, for printing the source line of a diagnostic.
    public var source: [UInt8]
    /// Warehouse keys written in the file whose blocks had errors and were left out of `config`.
    public var brokenWarehouses: Set<String> = []
    /// Warehouse keys named by connections left out of `config` for errors: they count as linked.
    public var warehousesOfDroppedConnections: Set<String> = []

    /// The config, when the file had no errors of its own.
    public var validConfig: DesiredConfig? { diagnostics.hasErrors ? nil : config }

    /// Every problem: the file's own, then the cross-reference and master checks, with
    /// `lint.ignore` applied and sorted by position.
    public func allDiagnostics(today: Day) -> [Diagnostic] {
        var all = diagnostics
        if let config {
            all += ConfigChecks.run(config, today: today, alsoDefined: brokenWarehouses, alsoLinked: warehousesOfDroppedConnections)
            all.removeAll { $0.severity == .warning && config.lintIgnore.contains($0.rule) }
        }
        return all.sortedByPosition()
    }
}

/// Reads a `stockyard.yaml` into the engine's desired model.
public enum ConfigLoader {
    /// Loads the file at `path`; `displayPath` is how diagnostics name it (the path as the user typed it).
    /// Throws only when the file cannot be read at all. `fingerprint: false` leaves the config's
    /// `sha256` empty, for a command that never compares it (hashing 13 MB is 2% of a validate).
    public static func load(path: String, displayPath: String? = nil, fingerprint: Bool = true) throws(ConfigError) -> LoadedConfig {
        if let bytes = readRegularFile(path) {
            return load(bytes: bytes, file: displayPath ?? path, fingerprint: fingerprint)
        }
        let bytes: [UInt8]
        do {
            guard let data = FileManager.default.contents(atPath: path) else {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                    throw isDirectory.boolValue ? .isDirectory(path: displayPath ?? path) : .unreadable(path: displayPath ?? path)
                }
                throw .missing(path: displayPath ?? path)
            }
            bytes = [UInt8](data)
        }  // The `Data` ends here: the file is held once while it is parsed, not twice (13 MB at 100,000 connections).
        return load(bytes: bytes, file: displayPath ?? path, fingerprint: fingerprint)
    }

    /// A regular file's bytes, read straight into the array (`FileManager` reads into `Data`, which
    /// is then copied: 13 MB more to write at 100,000 connections); nil for anything else (a
    /// directory, a pipe, a missing or unreadable file, one that changed size while read), which
    /// the general path reads or reports.
    static func readRegularFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        var complete = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            count = done
            complete = done == size
        }
        return complete ? bytes : nil
    }

    /// Loads config text already in memory.
    public static func load(bytes: [UInt8], file: String, fingerprint: Bool = true) -> LoadedConfig {
        let sha = fingerprint ? Fingerprint.hex(ofBytes: bytes) : ""
        let document: YAMLDocument
        do {
            document = try YAMLParser.parseDocument(bytes, concurrently: Parallel.width > 1)
        } catch {
            let rule: RuleID = if case .duplicateKey = error.kind { .duplicateKey } else { .yamlSyntax }
            let at = SourceLocation(file: file, line: error.mark.line, column: error.mark.column)
            return LoadedConfig(config: nil, diagnostics: [.error(rule, error.message, at: at)], source: bytes)
        }
        var decoder = ConfigDecoder(file: file, document: document)
        let config = decoder.decodeRoot(sha256: sha)
        var broken = decoder.brokenWarehouses
        if decoder.warehousesUnreadable {
            // No warehouse can be looked up: none of the connections' warehouses is reported undefined.
            broken = decoder.warehousesOfDroppedConnections
            for store in config?.stores ?? [] { broken.formUnion(store.connections.lazy.map(\.warehouseKey)) }
        }
        return LoadedConfig(
            config: config, diagnostics: decoder.diagnostics, source: bytes, brokenWarehouses: broken,
            warehousesOfDroppedConnections: decoder.warehousesOfDroppedConnections)
    }
}
