import Foundation

/// Where output goes, and whether it may be coloured.
struct Terminal {
    /// Colour only on a terminal, never with NO_COLOR set or TERM=dumb.
    static func colorAllowed(fd: Int32) -> Bool {
        let env = ProcessInfo.processInfo.environment
        if let noColor = env["NO_COLOR"], !noColor.isEmpty { return false }
        if env["TERM"] == "dumb" { return false }
        return isatty(fd) == 1
    }

    static func isInteractive() -> Bool { isatty(0) == 1 && isatty(1) == 1 }

    static func writeOut(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes bytes as they are, without a copy.
    static func writeOut(bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            FileHandle.standardOutput.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: buffer.count, deallocator: .none))
        }
    }

    static func writeErr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// ANSI styles, applied only when colour is allowed.
struct Style: Sendable {
    var enabled: Bool

    func paint(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func red(_ t: String) -> String { paint(t, "31") }
    func green(_ t: String) -> String { paint(t, "32") }
    func yellow(_ t: String) -> String { paint(t, "33") }
    func bold(_ t: String) -> String { paint(t, "1") }
}
