import Foundation
import PostgresNIO
import StockyardEngine

/// Turns postgres-nio and network failures into ``StateError`` messages a user can act on.
///
/// Messages name host, port, database and user, and quote the server's own words; never the
/// password, never SQL arguments (they hold user data), and never `String(reflecting:)` of a
/// `PSQLError` (which carries the query and its binds). As a last guard, every word a server or a
/// library says goes through ``PostgresLocation/redact(_:)``.
enum PostgresErrors {
    static func map(_ error: any Error, location: PostgresLocation, doing: String) -> StateError {
        if let error = error as? StateError { return error }
        let place = location.description
        let server = "PostgreSQL at \(hostPort(location)) (database '\(location.database)', user '\(location.username)')"
        // Every word that comes from the server or a library goes through `redact`.
        func words(_ text: String) -> String { location.redact(text) }
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                return serverError(error, location: location, server: server, doing: doing)
            case .connectionError:
                return .unreachable(server: server, reason: words(error.underlying.map(describe) ?? "connection failed"))
            case .sslUnsupported:
                return .tlsNotAccepted(server: server, mode: location.tls.rawValue)
            case .failedToAddSSLHandler:
                return .tlsFailed(server: server, reason: words(error.underlying.map(describe) ?? "handshake failed"))
            case .unsupportedAuthMechanism:
                return .authMethodUnsupported(server: server)
            case .authMechanismRequiresPassword:
                return .passwordMissing(server: server)
            case .saslError:
                return .passwordRejected(server: server)
            case .serverClosedConnection, .uncleanShutdown:
                return .connectionClosed(doing: doing, place: place, reason: words(error.underlying.map(describe) ?? "no reason given"))
            case .poolClosed, .clientClosedConnection:
                return .closed(doing: doing, place: place)
            default:
                return .failed(doing: doing, place: place, reason: words("\(error.code)"))
            }
        }
        if let error = error as? PostgresDecodingError {
            return .damaged(place: place, .unreadableColumn(column: error.columnName, type: "\(error.postgresType)"))
        }
        return .failed(doing: doing, place: place, reason: words(describe(error)))
    }

    private static func serverError(_ error: PSQLError, location: PostgresLocation, server: String, doing: String) -> StateError {
        let text = location.redact(error.serverInfo?[.message] ?? "no message")
        let state = error.serverInfo?[.sqlState] ?? ""
        let place = location.description
        switch state {
        case "28P01", "28000":
            return .loginRefused(server: server, reason: text)
        case "3D000":
            return .databaseMissing(server: server, database: location.database, reason: text)
        case "42501":
            return .permissionDenied(doing: doing, place: place, reason: text)
        case "53300":
            return .unreachable(server: server, reason: text)
        case "57P03":
            return .serverStarting(server: server, reason: text)
        case "25006":
            return .readOnlyReplica(doing: doing, place: place, reason: text)
        default:
            return .failed(doing: doing, place: place, reason: text + (state.isEmpty ? "" : " (SQLSTATE \(state))"))
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
