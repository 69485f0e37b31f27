import Foundation
import StockyardEngine
import Testing

@testable import StockyardCLI

@Suite struct DiagnosticPrinterTests {
    /// A config-like source of `count` lines, each `  key-N: value-N`.
    static func source(lines count: Int) -> [UInt8] {
        var text = ""
        for i in 1...count { text += "  key-\(i): value-\(i)\n" }
        return Array(text.utf8)
    }

    static func warning(_ rule: RuleID, line: Int) -> Diagnostic {
        .warning(rule, "something at line \(line)", at: StockyardEngine.SourceLocation(file: "s.yaml", line: line, column: 3))
    }

    /// Linear by construction: printing reads each diagnostic's own line once the file is indexed,
    /// never the file again. Counted in bytes, not timed, so a loaded machine cannot fool it.
    @Test func renderingReadsTheSourceOnceAndThenOnlyEachDiagnosticsLine() {
        let bytes = Self.source(lines: 20_000)
        // One diagnostic per line, and many on the very last line (the worst case for a scan from the top).
        var diagnostics = (1...20_000).map { Self.warning(.ownOnStoreMaster, line: $0) }
        diagnostics += Array(repeating: Self.warning(.unusedWarehouse, line: 20_000), count: 5_000)
        var lines = SourceLines(bytes)
        let printer = DiagnosticPrinter(source: bytes, style: Style(enabled: false), allWarnings: true)
        let text = printer.render(diagnostics, subject: "s.yaml", lines: &lines)
        let longestLine = "  key-20000: value-20000".utf8.count
        // The index (the file once), then at most one line's bytes per diagnostic.
        #expect(lines.bytesRead <= bytes.count + diagnostics.count * longestLine)
        // A scan from the top per diagnostic would have read the file 25,000 times over.
        #expect(lines.bytesRead < 3 * bytes.count)
        #expect(text.contains("    key-20000: value-20000\n"))
        #expect(text.components(separatedBy: "[unused-warehouse]\n").count - 1 == 5_000)
    }

    /// A long line (a minified flow mapping) is shown as a window around the caret, and read once
    /// however many diagnostics point into it: reading it whole per diagnostic was quadratic again.
    @Test func aLongLineIsShownAroundTheCaretAndReadOnce() {
        var entries: [String] = []
        for i in 1...5_000 { entries.append("k\(i): v\(i)") }
        let long = "stores: {" + entries.joined(separator: ", ") + "}"
        let bytes = Array(("version: 1\n" + long + "\n").utf8)
        let columnOf4321 = long.unicodeScalars.count - long.components(separatedBy: "k4321:")[1].unicodeScalars.count - 6 + 1
        let diagnostics = (1...2_000).map { _ in
            Diagnostic.warning(.unusedWarehouse, "here", at: StockyardEngine.SourceLocation(file: "s.yaml", line: 2, column: columnOf4321))
        }
        var lines = SourceLines(bytes)
        let text = DiagnosticPrinter(source: bytes, style: Style(enabled: false), allWarnings: true).render(diagnostics, subject: "s.yaml", lines: &lines)
        #expect(lines.bytesRead <= 2 * bytes.count)
        let shown = text.split(separator: "\n")[1]
        let caret = text.split(separator: "\n")[2]
        #expect(shown.hasPrefix("    …") && shown.hasSuffix("…"))
        #expect(shown.unicodeScalars.count == 4 + SourceLines.excerptWidth + 2)
        // The caret still points at the key the diagnostic is about.
        let at = caret.unicodeScalars.count - 1
        #expect(String(String.UnicodeScalarView(Array(shown.unicodeScalars)[at..<(at + 6)])) == "k4321:")
        // A short line is shown whole, as before.
        #expect(text.contains("s.yaml is valid, with 2000 warnings."))
    }

    /// A token cut by the window's edge is still redacted: redaction runs on the whole line first.
    @Test func aTokenAtTheEdgeOfALongLineIsRedacted() {
        let token = "shpat_" + String(repeating: "a1", count: 16)
        let long = String(repeating: "x", count: 300) + token + String(repeating: "y", count: 300)
        let bytes = Array((long + "\n").utf8)
        for column in [250, 300, 310, 340, 420] {
            var lines = SourceLines(bytes)
            let excerpt = lines.excerpt(1, column: column)!
            #expect(!excerpt.text.contains("a1a1"))
        }
        var lines = SourceLines(bytes)
        #expect(lines.excerpt(1, column: 10, redactingFrom: 5)!.text == "xxxx<redacted>")
    }

    @Test func lineIndexMatchesAScanOfTheFile() {
        let text = "a: 1\r\nbb: 2\n\nlast"
        var lines = SourceLines(Array(text.utf8))
        #expect(lines.line(1) == "a: 1")
        #expect(lines.line(2) == "bb: 2")
        #expect(lines.line(3) == "")
        #expect(lines.line(4) == "last")
        #expect(lines.line(5) == nil)
        #expect(lines.line(0) == nil)
        var ending = SourceLines(Array("x\n".utf8))
        #expect(ending.line(2) == "")
        #expect(ending.line(3) == nil)
    }

    @Test func warningsOfOneRuleAreCompactedAndErrorsNeverAre() {
        let bytes = Self.source(lines: 100)
        var diagnostics = (1...25).map { Self.warning(.ownOnStoreMaster, line: $0) }
        diagnostics += (26...28).map { Self.warning(.unusedWarehouse, line: $0) }
        diagnostics += (29...48).map {
            Diagnostic.error(.undefinedWarehouse, "missing \($0)", at: StockyardEngine.SourceLocation(file: "s.yaml", line: $0, column: 1))
        }
        let compact = DiagnosticPrinter(source: bytes, style: Style(enabled: false)).render(diagnostics, subject: "s.yaml")
        #expect(compact.components(separatedBy: "[own-on-store-master]\n").count - 1 == 10 + 1)  // and the count
        #expect(compact.contains("… and 15 more [own-on-store-master]\n"))
        #expect(compact.components(separatedBy: "[unused-warehouse]\n").count - 1 == 3)
        #expect(compact.components(separatedBy: "[undefined-warehouse]\n").count - 1 == 20)
        #expect(compact.contains("15 warnings not shown; --all-warnings prints every one.\n"))
        #expect(compact.hasSuffix("s.yaml is not valid: 20 errors, 28 warnings.\n"))
        // The summary line follows the rule's tenth warning.
        let lines = compact.split(separator: "\n")
        let more = lines.firstIndex(of: "… and 15 more [own-on-store-master]")!
        #expect(lines[more - 3].hasPrefix("s.yaml:10:3: warning:"))

        let all = DiagnosticPrinter(source: bytes, style: Style(enabled: false), allWarnings: true).render(diagnostics, subject: "s.yaml")
        #expect(all.components(separatedBy: "[own-on-store-master]\n").count - 1 == 25)
        #expect(!all.contains("more [own-on-store-master]"))
        #expect(!all.contains("not shown"))
    }
}
