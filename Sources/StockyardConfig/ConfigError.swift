import StockyardEngine

/// The config file could not be read at all (what is wrong inside a file it reads is a
/// ``Diagnostic``, with its position). Worded once, in ``description``.
public enum ConfigError: ReportableError, Hashable {
    case missing(path: String)
    case isDirectory(path: String)
    case unreadable(path: String)

    public var fault: ErrorFault { .user }

    public var description: String {
        switch self {
        case .missing(let path):
            "no config file at \(path); pass --config PATH or run `stockyard init`"
        case .isDirectory(let path):
            "\(path) is a directory, not a config file"
        case .unreadable(let path):
            "cannot read \(path)"
        }
    }
}
