import Foundation
import StockyardEngine

/// Prints diagnostics as `PATH:LINE:COL: severity: message [rule]`, the source line and a caret.
/// Warnings are compacted (the first few of each rule, then a count) unless `allWarnings`.
struct DiagnosticPrinter {
    var source: [UInt8]
    var style: Style
    var allWarnings = false

    /// The text of every diagnostic, and a closing count. Linear in the output: the source's
    /// lines are indexed once, and each diagnostic reads only its own line.
    func render(_ diagnostics: [Diagnostic], subject: String) -> String {
        // No diagnostics, no source lines to show: a valid file is not indexed.
        var lines = SourceLines(diagnostics.isEmpty ? [] : source)
        return render(diagnostics, subject: subject, lines: &lines)
    }

    /// As `render(_:subject:)`, reading the source through `lines` (which counts what it reads).
    func render(_ diagnostics: [Diagnostic], subject: String, lines: inout SourceLines) -> String {
        let digest = WarningDigest(diagnostics, perRule: allWarnings ? nil : WarningDigest.shownPerRule)
        var out = ""
        for entry in digest.entries {
            switch entry {
            case .shown(let d):
                render(d, lines: &lines, into: &out)
            case .more(let rule, let count):
                out += style.yellow(WarningDigest.moreLine(rule: rule, count: count)) + "\n"
            }
        }
        if digest.hidden > 0 { out += WarningDigest.hiddenNote(digest.hidden) + "\n" }
        out += summary(diagnostics, subject: subject) + "\n"
        return out
    }

    private func render(_ d: Diagnostic, lines: inout SourceLines, into out: inout String) {
        let label = d.severity == .error ? style.red(style.bold("error:")) : style.yellow(style.bold("warning:"))
        let prefix = d.location.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
        out += "\(style.bold(prefix))\(label) \(d.message) [\(d.rule.rawValue)]\n"
        guard let at = d.location, let excerpt = lines.excerpt(at.line, column: at.column, redactingFrom: d.redactFromColumn) else { return }
        out += "    \(excerpt.text)\n"
        let pad = excerpt.text.unicodeScalars.prefix(max(0, excerpt.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        out += "    \(pad)\(style.green("^"))\n"
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

/// The lines of the source, indexed once: where each line starts is found in one pass over the
/// file, so the line of a diagnostic costs its own length, not a scan from the top of the file
/// (which made printing 10,000 warnings of a 100,000-connection file take most of a minute).
struct SourceLines {
    let bytes: [UInt8]
    /// Byte offset where line `n` (1-based) starts, at `starts[n - 1]`.
    private let starts: [Int]
    /// Bytes of the source examined so far, the index included: what a test holds to the output's size.
    private(set) var bytesRead: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            for i in buffer.indices where buffer[i] == 10 { starts.append(i + 1) }
        }
        self.starts = starts
        bytesRead = bytes.count
    }

    /// Line `number` (1-based) without its line break; nil past the end.
    mutating func line(_ number: Int) -> String? {
        guard number >= 1, number <= starts.count else { return nil }
        let start = starts[number - 1]
        let limit = number < starts.count ? starts[number] : bytes.count
        var end = start
        while end < limit, bytes[end] != 10, bytes[end] != 13 { end += 1 }
        bytesRead += end - start
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The most of a line shown under a diagnostic, in Unicode scalars.
    static let excerptWidth = 160
    /// Long lines (a minified flow mapping, a pasted blob), decoded and token-redacted once each,
    /// so that many diagnostics on one long line cost its length once, not once per diagnostic.
    private var longLines: [Int: [Unicode.Scalar]] = [:]

    /// What is shown under a diagnostic at `column` of line `number`, tokens redacted, and the
    /// caret's column in it: the whole line, or for a line longer than `excerptWidth` that many
    /// scalars around the column, marked `…` where cut. With `redactingFrom`, everything from that
    /// column on is replaced by `<redacted>`.
    mutating func excerpt(_ number: Int, column: Int, redactingFrom cut: Int? = nil) -> (text: String, column: Int)? {
        guard number >= 1, number <= starts.count else { return nil }
        let start = starts[number - 1]
        let limit = number < starts.count ? starts[number] : bytes.count
        if limit - start <= Self.excerptWidth {
            guard var line = line(number) else { return nil }
            if let cut { line = String(line.unicodeScalars.prefix(max(0, cut - 1))) + "<redacted>" }
            return (Redaction.redactTokens(in: line), column)
        }
        var scalars: [Unicode.Scalar]
        if let cut {
            // Rare (a secret written into the config): cut first, as the short path does.
            let line = line(number) ?? ""
            scalars = Array(Redaction.redactTokens(in: String(line.unicodeScalars.prefix(max(0, cut - 1))) + "<redacted>").unicodeScalars)
        } else if let known = longLines[number] {
            scalars = known
        } else {
            scalars = Array(Redaction.redactTokens(in: line(number) ?? "").unicodeScalars)
            longLines[number] = scalars
        }
        let width = Self.excerptWidth
        guard scalars.count > width else { return (String(String.UnicodeScalarView(scalars)), column) }
        let from = min(max(0, column - 1 - width / 2), scalars.count - width)
        let to = from + width
        var text = from > 0 ? "…" : ""
        text.unicodeScalars.append(contentsOf: scalars[from..<to])
        if to < scalars.count { text += "…" }
        return (text, column - from + (from > 0 ? 1 : 0))
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
