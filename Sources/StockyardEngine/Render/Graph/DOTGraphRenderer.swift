/// Draws a topology in Graphviz DOT.
///
/// Labels are double-quoted strings. Graphviz reads `\` escapes (`\n`, `\N`, `\G`…) and HTML
/// entities (`&amp;`) inside them, so backslashes, quotes and ampersands are escaped and line
/// breaks become spaces: a name is drawn exactly as written.
public enum DOTGraphRenderer {
    public static func render(_ topology: Topology) -> String {
        var out = """
            digraph stockyard {
              graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=1.1, labelloc=b, labeljust=l, label="\(GraphRenderer.legend.map { escape($0) + "\\l" }.joined())"];
              node [fontname="Helvetica", fontsize=11, shape=box, style=rounded];
              edge [fontname="Helvetica", fontsize=9, color="#57606a"];

            """
        for (s, store) in topology.stores.enumerated() {
            out += "  subgraph cluster_S\(s) {\n"
            out += "    label=\(quote(GraphRenderer.storeTitle(store)));\n"
            out += "    style=rounded; color=\(store.mark.map(color) ?? "\"#57606a\"");\n"
            for (l, location) in store.locations.enumerated() {
                var attributes = "label=\(quote(GraphRenderer.locationLines(location)))"
                if location.status != .linked { attributes += ", style=\"rounded,dashed\", color=gray60, fontcolor=gray45" }
                out += "    S\(s)L\(l) [\(attributes)];\n"
            }
            out += "  }\n"
        }
        for (w, warehouse) in topology.warehouses.enumerated() {
            var attributes = "label=\(quote(GraphRenderer.warehouseLines(warehouse)))"
            switch warehouse.kind {
            case .own?: attributes += ", shape=cylinder, style=solid"
            case .thirdParty?: attributes += ", shape=hexagon, style=solid"
            case nil: attributes += ", shape=box, style=solid"
            }
            if let mark = warehouse.mark { attributes += ", color=\(color(mark)), penwidth=2" }
            out += "  W\(w) [\(attributes)];\n"
        }
        for link in topology.links {
            let location = "S\(link.location.store)L\(link.location.location)"
            let warehouse = "W\(link.warehouse)"
            var attributes = link.master == .stockyard ? "style=solid" : "style=dashed"
            if let mark = link.mark { attributes += ", color=\(color(mark)), penwidth=\(mark == .masterSwitch ? 3 : 2)" }
            if let text = GraphRenderer.linkText(link) { attributes += ", label=\(quote(text))" }
            switch link.master {
            case .stockyard: out += "  \(warehouse) -> \(location) [\(attributes)];\n"
            case .store: out += "  \(location) -> \(warehouse) [\(attributes)];\n"
            }
        }
        for hint in topology.sameAddress {
            out +=
                "  S\(hint.first.store)L\(hint.first.location) -> S\(hint.second.store)L\(hint.second.location) [style=dotted, dir=none, constraint=false, color=gray50, fontcolor=gray40, label=\"same address\"];\n"
        }
        return out + "}\n"
    }

    private static func color(_ mark: Topology.Mark) -> String {
        switch mark {
        case .added: return "\"#1a7f37\""
        case .removed: return "\"#cf222e\""
        case .masterSwitch: return "\"#bc4c00\""
        case .changed: return "\"#9a6700\""
        }
    }

    private static func quote(_ lines: [String]) -> String { "\"" + lines.map(escape).joined(separator: "\\n") + "\"" }
    private static func quote(_ text: String) -> String { quote([text]) }

    /// Text safe inside a double-quoted DOT label, drawn as written.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "&": out += "&amp;"
            default:
                out.unicodeScalars.append(GraphRenderer.breaksLines(scalar) ? " " : scalar)
            }
        }
        return out
    }
}
