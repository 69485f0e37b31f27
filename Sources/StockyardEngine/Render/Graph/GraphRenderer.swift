/// The formats a topology is drawn in.
public enum GraphFormat: String, Sendable, CaseIterable {
    /// Mermaid flowchart: GitHub and GitLab draw it inside Markdown.
    case mermaid
    /// Graphviz DOT: `dot -Tsvg` or `dot -Tpng` draws it.
    case dot
}

/// Draws a topology. Pure: the same topology gives the same bytes.
///
/// Both formats draw the same things: one cluster per store holding its locations; the warehouses
/// between them (`own` as a cylinder, `3pl` as a hexagon); one edge per connection in the direction
/// the numbers flow, solid from the warehouse to the location on stockyard master (it pushes),
/// dashed from the location into the warehouse on store master (it is pulled); unmanaged and
/// inactive locations greyed; a dotted, undirected `same address` link between two stores'
/// locations that are probably one building. Nodes are named by position (`S0L1`, `W2`), never by
/// a name, and every name is escaped for the format, so no name can change the diagram's structure.
public enum GraphRenderer {
    public static func render(_ topology: Topology, as format: GraphFormat) -> String {
        switch format {
        case .mermaid: return MermaidGraphRenderer.render(topology)
        case .dot: return DOTGraphRenderer.render(topology)
        }
    }

    /// The key to the drawing, a line per kind of mark.
    public static let legend = [
        "solid arrow: stockyard master, the warehouse pushes its numbers to the location",
        "dashed arrow: store master, the location's numbers are pulled into the warehouse",
        "dotted line: the same address in two stores, probably one building",
        "grey: a location the config does not link (unmanaged), or an inactive one",
    ]

    // MARK: - Labels, shared by the formats

    /// Control characters and line separators: drawn as a space, since a label is one line per
    /// line the renderer chooses, and both formats would read a raw line break as syntax.
    static func breaksLines(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    static func storeTitle(_ store: Topology.Store) -> String {
        var title = store.detail.isEmpty ? store.key : "\(store.key) · \(store.detail)"
        if let mark = store.mark { title += " (\(mark.rawValue))" }
        return title
    }

    /// The location's name, then what greys it, if anything.
    static func locationLines(_ location: Topology.Location) -> [String] {
        location.status == .linked ? [location.name] : [location.name, "(\(location.status.rawValue))"]
    }

    /// The warehouse's name, then its key, code and (for a 3PL) kind.
    static func warehouseLines(_ warehouse: Topology.Warehouse) -> [String] {
        var second = [warehouse.key]
        if let code = warehouse.code { second.append(code) }
        if warehouse.kind == .thirdParty { second.append("3PL") }
        var lines = [warehouse.name ?? warehouse.key]
        if warehouse.name != nil || second.count > 1 { lines.append(second.joined(separator: " · ")) }
        if let mark = warehouse.mark { lines.append("(\(mark.rawValue))") }
        return lines
    }

    /// The words on a connection's edge in a plan diagram; `nil` for an edge the plan leaves alone.
    static func linkText(_ link: Topology.Link) -> String? {
        guard link.mark != nil || link.overwrites else { return nil }
        var parts: [String] = []
        if let mark = link.mark { parts.append(mark.rawValue) }
        if link.overwrites { parts.append("overwrites stock") }
        return parts.joined(separator: ", ")
    }
}
