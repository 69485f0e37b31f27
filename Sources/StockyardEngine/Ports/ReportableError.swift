/// Whose mistake an error is: something the operator can put right (the config, the state, a store,
/// a server, the environment), or a bug in Stockyard, which only a new build can put right.
public enum ErrorFault: Sendable, Hashable {
    case user
    case bug
}

/// An error Stockyard shows to its users. `description` words it, in one switch per error type;
/// making the error prints nothing: the CLI prints it where it reports, and only there.
public protocol ReportableError: Error, Sendable, CustomStringConvertible {
    /// Whether the operator can put it right or Stockyard itself is wrong.
    var fault: ErrorFault { get }
}
