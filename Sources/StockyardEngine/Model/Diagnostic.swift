/// How bad a diagnostic is. Errors make a config invalid; warnings do not.
public enum Severity: String, Sendable, Codable, Hashable {
    case error, warning
}

/// One problem found in a config or in what the stores report, with where it was written.
public struct Diagnostic: Sendable, Hashable {
    public var severity: Severity
    public var rule: RuleID
    public var message: String
    public var location: SourceLocation?
    /// When set, whoever prints the source line must hide it from this column on: a secret sits there.
    public var redactFromColumn: Int?

    public init(
        _ severity: Severity, _ rule: RuleID, _ message: String,
        at location: SourceLocation?, redactFromColumn: Int? = nil
    ) {
        self.severity = severity
        self.rule = rule
        self.message = message
        self.location = location
        self.redactFromColumn = redactFromColumn
    }

    public static func error(_ rule: RuleID, _ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.error, rule, message, at: location)
    }

    public static func warning(_ rule: RuleID, _ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.warning, rule, message, at: location)
    }
}

extension Array where Element == Diagnostic {
    /// Diagnostics in the order a reader wants them: by file position, then severity, rule and text.
    public func sortedByPosition() -> [Diagnostic] {
        sorted { a, b in
            switch (a.location, b.location) {
            case (let l?, let r?) where l != r: return l < r
            case (nil, _?): return true
            case (_?, nil): return false
            default:
                if a.severity != b.severity { return a.severity == .error }
                if a.rule != b.rule { return a.rule.rawValue < b.rule.rawValue }
                return a.message < b.message
            }
        }
    }

    public var hasErrors: Bool { contains { $0.severity == .error } }
}
