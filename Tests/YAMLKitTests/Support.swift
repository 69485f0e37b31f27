import Foundation
import Testing
import YAMLKit

/// Parses `text`, failing the test (not crashing it) on an error.
func parse(_ text: String, limits: YAMLLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) throws -> YAMLNode {
    do {
        return try YAMLParser.parse(text, limits: limits)
    } catch {
        Issue.record("unexpected \(error.kind) at \(error.mark): \(error.message)", sourceLocation: sourceLocation)
        throw error
    }
}

/// The error parsing `bytes` throws, or nil (recording an issue) when it parses.
func parseError(_ bytes: [UInt8], limits: YAMLLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) -> YAMLError? {
    do {
        _ = try YAMLParser.parse(bytes, limits: limits)
        Issue.record("expected an error, but the text parsed", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

func parseError(_ text: String, limits: YAMLLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) -> YAMLError? {
    parseError(Array(text.utf8), limits: limits, sourceLocation: sourceLocation)
}

func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return try [UInt8](Data(contentsOf: url))
}

func mark(_ line: Int, _ column: Int) -> Mark {
    Mark(line: line, column: column)
}

extension YAMLNode {
    /// The scalar's text, or nil for collections; keeps expectations short.
    var text: String? { scalar?.value }

    /// Keys of a mapping in source order (scalar keys only).
    var keys: [String] { mapping?.compactMap { $0.key.text } ?? [] }

    /// The key node itself, for checking a key's position.
    func keyNode(_ key: String) -> YAMLNode? {
        mapping?.first { $0.key.text == key }?.key
    }
}
