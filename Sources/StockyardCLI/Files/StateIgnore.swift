import Foundation

/// Keeps the state folder out of git: the state holds every store's locations and stock, and a
/// pull request that commits it would publish them.
enum StateIgnore {
    static let line = ".stockyard/"

    /// Lines that already ignore a `.stockyard` folder at any depth; one of them is enough.
    static let equivalents: Set<String> = [".stockyard/", ".stockyard", "**/.stockyard/", "**/.stockyard", ".stockyard/*", ".stockyard/**"]

    /// Adds `.stockyard/` to the `.gitignore` at the root of the git work tree holding
    /// `configFolder` (its own folder when it is in none), creating the file when missing and
    /// never adding the line twice. Returns the `.gitignore` changed, or `nil` when it already had it.
    static func ensureIgnored(configFolder: URL) throws -> URL? {
        let folder = workTreeRoot(of: configFolder) ?? configFolder.standardizedFileURL
        let url = folder.appendingPathComponent(".gitignore")
        let existing = FileManager.default.contents(atPath: url.path)
        if let existing {
            let lines = String(decoding: existing, as: UTF8.self).split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
            var accepted = equivalents
            // Anchored patterns match only beside the .gitignore.
            if folder.standardizedFileURL.path == configFolder.standardizedFileURL.path { accepted.formUnion(["/.stockyard/", "/.stockyard"]) }
            if lines.contains(where: { accepted.contains($0.trimmingCharacters(in: .whitespaces)) }) { return nil }
        }
        var addition = ""
        if let existing, let last = existing.last, last != UInt8(ascii: "\n") { addition += "\n" }
        addition += "# Stockyard's state: every store's locations and stock; keep it out of git.\n\(line)\n"
        if existing == nil {
            try Data(addition.utf8).write(to: url, options: .atomic)
        } else {
            // Appended in place: the file keeps its owner and mode.
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(addition.utf8))
        }
        return url
    }

    /// The nearest folder at or above `folder` holding `.git` (a folder, or the file a linked worktree has).
    static func workTreeRoot(of folder: URL) -> URL? {
        var current = folder.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(".git").path) { return current }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }
}
