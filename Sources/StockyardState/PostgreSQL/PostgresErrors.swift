import Foundation
import PostgresNIO
import StockyardEngine

/// Turns postgres-nio and network failures into ``StateError`` messages a user can act on.
///
/// Messages name host, port, database and user, and quote the server's own words; never the
/// password, never SQL arguments (they hold user data), and never `String(reflecting:)` of a
/// `PSQLError` (which carries the query and its binds). As a last guard, every message goes through
/// ``PostgresLocation/redact(_:)``.
enum PostgresErrors {
    static func map(_ error: any Error, location: PostgresLocation, doing: String) -> StateError {
        if var error = error as? StateError {
            error.message = location.redact(error.message)
            return error
        }
        return StateError(location.redact(message(error, location: location, doing: doing)))
    }

    private static func message(_ error: any Error, location: PostgresLocation, doing: String) -> String {
        let server = "PostgreSQL at \(hostPort(location)) (database '\(location.database)', user '\(location.username)')"
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                return serverMessage(error, location: location, server: server, doing: doing)
            case .connectionError:
                return "could not connect to \(server): \(error.underlying.map(describe) ?? "connection failed")"
            case .sslUnsupported:
                return "\(server) does not accept TLS, but sslmode=\(location.tls.rawValue) needs it; enable ssl on the server, or use sslmode=disable on a network you trust"
            case .failedToAddSSLHandler:
                return "could not start TLS with \(server): \(error.underlying.map(describe) ?? "handshake failed")"
            case .unsupportedAuthMechanism:
                return "could not log in to \(server): the server asks for an authentication method Stockyard does not support; use scram-sha-256 or md5 (pg_hba.conf)"
            case .authMechanismRequiresPassword:
                return "could not log in to \(server): the server wants a password and the state URL has none; add it to the URL or set PGPASSWORD"
            case .saslError:
                return "could not log in to \(server): password authentication failed (SCRAM); check the user and password in the state URL"
            case .serverClosedConnection, .uncleanShutdown:
                return "\(doing) the state at \(location) failed: the server closed the connection (\(error.underlying.map(describe) ?? "no reason given"))"
            case .poolClosed, .clientClosedConnection:
                return "\(doing) the state at \(location) failed: the connection was closed"
            default:
                return "\(doing) the state at \(location) failed: \(error.code)"
            }
        }
        if let error = error as? PostgresDecodingError {
            return "the state at \(location) is damaged: column '\(error.columnName)' holds a value of type \(error.postgresType) that this Stockyard cannot read"
        }
        return "\(doing) the state at \(location) failed: \(describe(error))"
    }

    private static func serverMessage(_ error: PSQLError, location: PostgresLocation, server: String, doing: String) -> String {
        let text = error.serverInfo?[.message] ?? "no message"
        let state = error.serverInfo?[.sqlState] ?? ""
        switch state {
        case "28P01", "28000":
            return "could not log in to \(server): \(text); check the user and password in the state URL"
        case "3D000":
            return "could not open the state: \(server): \(text); create the database first (createdb \(location.database))"
        case "42501":
            return "\(doing) the state at \(location) failed: \(text); the user needs rights on the database and schema (or an empty schema of its own, ?schema=NAME)"
        case "53300":
            return "could not connect to \(server): \(text)"
        case "57P03":
            return "could not connect to \(server): \(text); the server is starting or stopping, try again"
        case "25006":
            return "\(doing) the state at \(location) failed: \(text); the server is a read-only replica, point --state at the primary"
        default:
            return "\(doing) the state at \(location) failed: \(text)\(state.isEmpty ? "" : " (SQLSTATE \(state))")"
        }
    }

    /// A network error in plain words: "Connection refused", "timed out after 10 s".
    private static func describe(_ error: any Error) -> String {
        if let error = error as? NIOSSLError {
            if case .handshakeFailed(let reason) = error, "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") {
                return "the server's TLS certificate is not trusted; name the CA that signed it with sslrootcert=PATH in the state URL"
            }
            return "TLS failed (\(error))"
        }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "the server's TLS certificate does not name this host (sslmode=verify-full); connect by a name it lists, or use verify-ca"
        }
        if let error = error as? NIOConnectionError {
            if let dns = error.dnsAError ?? error.dnsAAAAError {
                return "could not resolve the host name (\(describe(dns)))"
            }
            if let first = error.connectionErrors.first { return describe(first.error) }
            return "\(error)"
        }
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode))
        }
        if let error = error as? ChannelError, case .connectTimeout(let amount) = error {
            return "timed out after \(amount.nanoseconds / 1_000_000_000) s"
        }
        if let error = error as? PSQLError {
            return "\(error.code)"
        }
        return "\(error)"
    }

    private static func hostPort(_ location: PostgresLocation) -> String {
        location.host.contains(":") ? "[\(location.host)]:\(location.port)" : "\(location.host):\(location.port)"
    }
}
