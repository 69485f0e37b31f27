import Foundation
import StockyardEngine

/// Prints diagnostics as `PATH:LINE:COL: severity: message [rule]`, the source line and a caret.
struct DiagnosticPrinter {
    var source: [UInt8]
    var style: Style

    /// The text of every diagnostic, and a closing count.
    func render(_ diagnostics: [Diagnostic], subject: String) -> String {
        let lines = SourceLines(source)
        var out = ""
        for d in diagnostics {
            let label = d.severity == .error ? style.red(style.bold("error:")) : style.yellow(style.bold("warning:"))
            let prefix = d.location.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
            out += "\(style.bold(prefix))\(label) \(d.message) [\(d.rule.rawValue)]\n"
            guard let at = d.location, var line = lines.line(at.line) else { continue }
            if let cut = d.redactFromColumn { line = String(line.unicodeScalars.prefix(max(0, cut - 1))) + "<redacted>" }
            line = Redaction.redactTokens(in: line)
            out += "    \(line)\n"
            let pad = line.unicodeScalars.prefix(max(0, at.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
            out += "    \(pad)\(style.green("^"))\n"
        }
        out += summary(diagnostics, subject: subject) + "\n"
        return out
    }

    func summary(_ diagnostics: [Diagnostic], subject: String) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        if errors == 0 && warnings == 0 { return "\(subject) is valid." }
        if errors == 0 { return "\(subject) is valid, with \(count(warnings, "warning"))." }
        return "\(subject) is not valid: \(count(errors, "error")), \(count(warnings, "warning"))."
    }
}

/// Diagnostics as data, for `--format json`.
enum DiagnosticJSON {
    static func report(_ diagnostics: [Diagnostic]) -> String {
        JSONValue.object([
            ("valid", .bool(!diagnostics.hasErrors)),
            ("diagnostics", .array(diagnostics.map(DiagnosticJSON.object))),
        ]).rendered()
    }

    static func object(_ d: Diagnostic) -> JSONValue {
        .object([
            ("severity", .string(d.severity.rawValue)), ("rule", .string(d.rule.rawValue)),
            ("message", .string(d.message)),
            ("file", d.location.map { .string($0.file) } ?? .null),
            ("line", d.location.map { .int($0.line) } ?? .null),
            ("column", d.location.map { .int($0.column) } ?? .null),
        ])
    }
}

/// Lines of the source, found on demand.
struct SourceLines {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func line(_ number: Int) -> String? {
        guard number >= 1 else { return nil }
        var current = 1, start = 0
        var i = 0
        while i < bytes.count, current < number {
            if bytes[i] == 10 { current += 1; start = i + 1 }
            i += 1
        }
        guard current == number, start <= bytes.count else { return nil }
        var end = start
        while end < bytes.count, bytes[end] != 10, bytes[end] != 13 { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// Hides anything that looks like an access token before it reaches a terminal or a log.
enum Redaction {
    /// Shopify token prefixes: admin API, custom app, partner, shared secret.
    static let prefixes = ["shpat_", "shpca_", "shppa_", "shpss_"]

    static func redactTokens(in text: String) -> String {
        guard prefixes.contains(where: text.contains) else { return text }
        var out = text
        for prefix in prefixes {
            while let range = out.range(of: prefix) {
                var end = range.upperBound
                while end < out.endIndex, out[end].isLetter || out[end].isNumber { end = out.index(after: end) }
                out.replaceSubrange(range.lowerBound..<end, with: "<redacted>")
            }
        }
        return out
    }
}
