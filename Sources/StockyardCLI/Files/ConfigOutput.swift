import Foundation

/// `init` and `import` start a config's life in a repository: keep its state out of git from the start.
func ignoreState(besideConfigIn folder: URL) throws {
    do {
        if let changed = try StateIgnore.ensureIgnored(configFolder: folder) {
            Terminal.writeErr("Added `\(StateIgnore.line)` to \(changed.path), so the state is never committed.\n")
        }
    } catch {
        throw CLIFailure.cannotIgnoreState(line: StateIgnore.line, folder: folder.path, reason: error.localizedDescription)
    }
}

/// Writes text files whole or not at all.
enum WriteFile {
    static func atomically(_ text: String, to path: String, display: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIFailure.cannotWrite(path: display, reason: error.localizedDescription)
        }
    }
}

/// A path from one folder to a file, for `path:` entries relative to the config file.
enum RelativePath {
    static func from(directory: URL, to file: URL) -> String {
        let base = directory.standardizedFileURL.pathComponents
        let target = file.standardizedFileURL.pathComponents
        var common = 0
        while common < base.count, common < target.count, base[common] == target[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }
}
