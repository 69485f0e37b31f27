/// Draws a topology as a Mermaid flowchart.
///
/// Labels are double-quoted, and every character that could end the quote, start an entity, a
/// comment or HTML, or close a Markdown code fence is written as a Mermaid entity (`#34;`), which
/// Mermaid turns back into the character as text. Styles go by edge position (`linkStyle`), the
/// oldest syntax every Mermaid that GitHub or GitLab runs understands.
public enum MermaidGraphRenderer {
    public static func render(_ topology: Topology) -> String {
        var out = "flowchart LR\n"
        var classes: [String: [String]] = [:]
        for (s, store) in topology.stores.enumerated() {
            out += "  subgraph S\(s)[\"\(escape(GraphRenderer.storeTitle(store)))\"]\n"
            for (l, location) in store.locations.enumerated() {
                out += "    S\(s)L\(l)(\"\(lines(GraphRenderer.locationLines(location)))\")\n"
                if location.status != .linked { classes["greyed", default: []].append("S\(s)L\(l)") }
            }
            out += "  end\n"
            if let mark = store.mark { classes[className(mark), default: []].append("S\(s)") }
        }
        for (w, warehouse) in topology.warehouses.enumerated() {
            let label = lines(GraphRenderer.warehouseLines(warehouse))
            switch warehouse.kind {
            case .own?: out += "  W\(w)[(\"\(label)\")]\n"
            case .thirdParty?: out += "  W\(w){{\"\(label)\"}}\n"
            case nil: out += "  W\(w)[\"\(label)\"]\n"
            }
            if let mark = warehouse.mark { classes[className(mark), default: []].append("W\(w)") }
        }

        // Edge styles by position: style -> the positions that have it, in order.
        var styles: [(style: String, edges: [Int])] = []
        func style(_ edge: Int, _ text: String) {
            if let i = styles.firstIndex(where: { $0.style == text }) { styles[i].edges.append(edge) } else { styles.append((text, [edge])) }
        }
        var edge = 0
        for link in topology.links {
            let location = "S\(link.location.store)L\(link.location.location)"
            let warehouse = "W\(link.warehouse)"
            let text = GraphRenderer.linkText(link).map { "|\($0)|" } ?? ""
            switch link.master {
            case .stockyard: out += "  \(warehouse) -->\(text) \(location)\n"
            case .store: out += "  \(location) -.->\(text) \(warehouse)\n"
            }
            if let mark = link.mark { style(edge, edgeStyle(mark)) }
            edge += 1
        }
        for hint in topology.sameAddress {
            out += "  S\(hint.first.store)L\(hint.first.location) -.-|same address| S\(hint.second.store)L\(hint.second.location)\n"
            style(edge, "stroke:#8c959f,stroke-dasharray:1 4")
            edge += 1
        }

        for name in classes.keys.sorted() {
            out += "  classDef \(name) \(classStyle(name))\n"
            out += "  class \(classes[name]!.joined(separator: ",")) \(name)\n"
        }
        for (text, edges) in styles {
            out += "  linkStyle \(edges.map(String.init).joined(separator: ",")) \(text)\n"
        }
        return out
    }

    private static func lines(_ lines: [String]) -> String { lines.map(escape).joined(separator: "<br>") }

    private static func className(_ mark: Topology.Mark) -> String {
        switch mark {
        case .added: return "added"
        case .removed: return "removed"
        case .changed, .masterSwitch: return "changed"
        }
    }

    private static func classStyle(_ name: String) -> String {
        switch name {
        case "greyed": return "fill:#f6f8fa,stroke:#8c959f,color:#6e7781,stroke-dasharray:3 3"
        case "added": return "fill:#dafbe1,stroke:#1a7f37,stroke-width:2px"
        case "removed": return "fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:4 3"
        default: return "fill:#fff8c5,stroke:#9a6700,stroke-width:2px"
        }
    }

    private static func edgeStyle(_ mark: Topology.Mark) -> String {
        switch mark {
        case .added: return "stroke:#1a7f37,stroke-width:2px"
        case .removed: return "stroke:#cf222e,stroke-width:2px"
        case .masterSwitch: return "stroke:#bc4c00,stroke-width:3px"
        case .changed: return "stroke:#9a6700,stroke-width:2px"
        }
    }

    /// `escape(text).utf16.count`, without building the text: the plan diagram sizes every name
    /// of a large plan before it draws a few of them.
    public static func escapedLength(_ text: String) -> Int {
        var length = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<", "\\", "\u{B6}", "\u{FB02}": length += String(scalar.value).utf8.count + 3
            case "\"", "#", "&", ">", "`", "%", ";", "|", "[", "]", "{", "}": length += String(scalar.value).utf8.count + 2
            default: length += scalar.utf16.count
            }
        }
        return length
    }

    /// Text safe inside a double-quoted Mermaid label. Mermaid decodes `#NUMBER;` itself. Some
    /// shapes (cylinders, hexagons) then read the decoded text a second time: they break lines at
    /// `<br>` and `\n`, and decode the markers Mermaid uses for entities while it works (`ﬂ°`, `¶ß`),
    /// so a name holding those would be drawn changed. After `<`, `\`, `ﬂ` and `¶` comes a word
    /// joiner (U+2060): invisible, it keeps that second reading from seeing the sequence.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<", "\\", "\u{B6}", "\u{FB02}":
                out += "#\(scalar.value);\u{2060}"
            case "\"", "#", "&", ">", "`", "%", ";", "|", "[", "]", "{", "}":
                out += "#\(scalar.value);"
            default:
                out.unicodeScalars.append(GraphRenderer.breaksLines(scalar) ? " " : scalar)
            }
        }
        return out
    }
}
