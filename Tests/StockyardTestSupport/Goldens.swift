import Foundation

/// Golden files: what a renderer must print, byte for byte.
public enum Goldens {
    /// Compares `actual` with the file `name` in `folder`; with STOCKYARD_REGENERATE_GOLDENS=1 it
    /// writes the file first (review the diff before committing it).
    public static func matches(_ actual: String, _ name: String, in folder: URL) throws -> Bool {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["STOCKYARD_REGENERATE_GOLDENS"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        return try String(contentsOf: url, encoding: .utf8) == actual
    }
}
