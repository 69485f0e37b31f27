import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The real renderers the diagram tests hand their output to: Graphviz's `dot` and mermaid.js in
/// headless Chromium. Like the PostgreSQL tests, they run where the tool is installed, and always
/// on CI, where a missing tool fails the suite instead of quietly leaving the check out.
public enum DiagramRenderers {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    static let onCI = ProcessInfo.processInfo.environment["CI"].map { ["true", "1", "yes"].contains($0.lowercased()) } ?? false

    /// The folder holding this package, for `.build/tools`.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    // MARK: - Graphviz

    static let dotPath = executable("dot")

    /// Run the Graphviz checks: `dot` is installed, or this is CI (where its absence is a failure).
    public static var graphvizWanted: Bool { dotPath != nil || onCI }

    /// `dot -Tsvg` of `source`; throws with Graphviz's message when it does not parse or draw.
    public static func graphvizSVG(_ source: String) throws -> String {
        guard let dot = dotPath else {
            throw Failure("CI is set but Graphviz's `dot` is not installed: .ci/run installs Debian's graphviz")
        }
        let result = try run(dot, ["-Tsvg"], input: Data(source.utf8))
        guard result.status == 0, result.stderr.isEmpty else {
            throw Failure("dot -Tsvg failed (exit \(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// The text an SVG shows: every text node, XML entities decoded, each `<text>` element on a line.
    public static func svgText(_ svg: String) throws -> String {
        final class Collector: NSObject, XMLParserDelegate {
            var text = ""
            var depth = 0
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if name == "text" { depth += 1 }
            }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if name == "text" {
                    depth -= 1
                    text += "\n"
                }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { if depth > 0 { text += string } }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else { throw Failure("the SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")") }
        return collector.text
    }

    // MARK: - Mermaid

    /// mermaid.js 11.16.0 as the PyPI package artoo-mermaid ships it; `scripts/fetch-mermaid.sh`
    /// puts it here (and checks its sha256). `STOCKYARD_MERMAID_JS` names another copy.
    static let mermaidJS: URL = {
        if let path = ProcessInfo.processInfo.environment["STOCKYARD_MERMAID_JS"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return repository.appendingPathComponent(".build/tools/mermaid-11.16.0/mermaid.min.js")
    }()

    static let chromiumPath = executable("chromium") ?? executable("chromium-browser")

    /// Run the Mermaid checks: Chromium and mermaid.js are both there, or this is CI.
    public static var mermaidWanted: Bool {
        (chromiumPath != nil && FileManager.default.fileExists(atPath: mermaidJS.path)) || onCI
    }

    public struct MermaidResult: Sendable {
        /// Mermaid's error, when it did not parse or draw the diagram.
        public var error: String?
        /// The drawn SVG's text, its style sheet left out.
        public var text: String
    }

    /// Parses and draws each diagram with mermaid.js (default settings: its 500-edge and
    /// 50,000-character limits hold) in one headless Chromium.
    public static func mermaid(_ diagrams: [String]) throws -> [MermaidResult] {
        guard let chromium = chromiumPath else {
            throw Failure("CI is set but Chromium is not installed: .ci/run installs Debian's chromium")
        }
        guard FileManager.default.fileExists(atPath: mermaidJS.path) else {
            throw Failure("CI is set but mermaid.js is not at \(mermaidJS.path): run scripts/fetch-mermaid.sh (as .ci/run does)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-mermaid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: mermaidJS, to: dir.appendingPathComponent("mermaid.min.js"))
        let payload = try JSONSerialization.data(withJSONObject: diagrams).base64EncodedString()
        let page = dir.appendingPathComponent("page.html")
        try mermaidPage(payload).write(to: page, atomically: true, encoding: .utf8)
        let result = try run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(dir.appendingPathComponent("profile").path)", "--virtual-time-budget=120000",
                "--dump-dom", page.absoluteString,
            ], input: nil)
        guard let start = result.stdout.range(of: "RESULT:"), let end = result.stdout.range(of: ":END", range: start.upperBound..<result.stdout.endIndex),
            let data = Data(base64Encoded: String(result.stdout[start.upperBound..<end.lowerBound])),
            let items = try JSONSerialization.jsonObject(with: data) as? [[String: Any]], items.count == diagrams.count
        else {
            throw Failure("Chromium gave no result (exit \(result.status)): \(result.stderr.suffix(2000))")
        }
        return items.map { MermaidResult(error: $0["error"] as? String, text: $0["text"] as? String ?? "") }
    }

    static func mermaidPage(_ payload: String) -> String {
        """
        <!doctype html><html><head><meta charset="utf-8"><script src="mermaid.min.js"></script></head>
        <body><pre id="result">pending</pre><script>
        const diagrams = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob("\(payload)"), c => c.charCodeAt(0))));
        (async () => {
          mermaid.initialize({ startOnLoad: false });
          const out = [];
          for (let i = 0; i < diagrams.length; i++) {
            try {
              await mermaid.parse(diagrams[i]);
              const { svg } = await mermaid.render('d' + i, diagrams[i]);
              const holder = document.createElement('div');
              holder.innerHTML = svg;
              holder.querySelectorAll('style').forEach(s => s.remove());
              out.push({ text: holder.textContent });
            } catch (e) {
              out.push({ error: String((e && e.message) || e), text: '' });
            }
          }
          const bytes = new TextEncoder().encode(JSON.stringify(out));
          let bin = '';
          for (const b of bytes) bin += String.fromCharCode(b);
          document.getElementById('result').textContent = 'RESULT:' + btoa(bin) + ':END';
        })();
        </script></body></html>
        """
    }

    // MARK: - Processes

    static func executable(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String], input: Data?) throws -> (status: Int32, stdout: String, stderr: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in")
        let outURL = dir.appendingPathComponent("out")
        let errURL = dir.appendingPathComponent("err")
        try (input ?? Data()).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Files, not pipes: a large output can never block the child.
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        let out = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let err = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return (process.terminationStatus, out, err)
    }
}
