extension YAMLDocument {
    /// The document as a tree of `YAMLNode`s, each scalar's text a `String`: simpler to walk for
    /// small documents and tests; readers of large files walk the document itself.
    public func tree() -> YAMLNode {
        tree(root)
    }

    /// Recursion is bounded: the builder caps nesting at `YAMLLimits.maxDepth`.
    private func tree(_ node: Node) -> YAMLNode {
        switch node.kind {
        case .scalar:
            return YAMLNode(.scalar(YAMLScalar(value: string(node), style: node.style, tag: tag(node))), mark: node.mark)
        case .mapping:
            return YAMLNode(
                .mapping(pairs(node).map { YAMLPair(key: tree($0.key), value: tree($0.value)) }), mark: node.mark, tag: tag(node))
        case .sequence:
            return YAMLNode(.sequence(items(node).map(tree)), mark: node.mark, tag: tag(node))
        }
    }
}
