import Foundation
import StockyardEngine

/// Where a PostgreSQL state lives, parsed from `postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=…&schema=…`.
///
/// The password is kept apart and never part of `description`: every message, log line and error
/// that names the state goes through `description`, so a password in a URL or `STOCKYARD_STATE`
/// cannot leak into output, CI logs or a pull-request comment.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// How TLS is used, with libpq's names and meanings, so that a URL copied from a hosting
    /// provider behaves the same here as in `psql`.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without verifying its certificate (libpq's default).
        case prefer
        /// TLS or fail; the certificate is not verified (libpq's `require`).
        case require
        /// TLS, and the certificate must chain to a trusted root; the host name is not checked.
        case verifyCA = "verify-ca"
        /// TLS, a trusted certificate, and the host name must match it.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var database: String
    /// The schema holding the state's tables; `nil` uses the role's default (usually `public`).
    /// Several states can share one database, each in its own schema (one per environment, say).
    public var schema: String?
    public var tls: TLSMode
    /// A PEM file of trusted roots for `verify-ca` and `verify-full` (libpq's `sslrootcert`).
    public var rootCertificatePath: String?
    /// Never in `description`, so never in a message; internal, so only this module reads it.
    let password: String?

    /// Whether `value` names a PostgreSQL state rather than a SQLite file.
    public static func matches(_ value: String) -> Bool {
        let lower = value.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` or `postgresql://` URL.
    ///
    /// User and password are percent-decoded, so a password with `@`, `:` or `/` can be given as
    /// `%40`, `%3A`, `%2F`. Without a password in the URL, `PGPASSWORD` is used, as libpq does: it
    /// keeps the password out of the process list and out of shell history.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StateError) {
        // Errors below never quote `url`: it may hold the password.
        guard Self.matches(url), let components = URLComponents(string: url) else {
            throw .invalidURL(.malformed)
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidURL(.noHost)
        }
        let database = String(components.percentEncodedPath.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/"), let decodedDatabase = database.removingPercentEncoding else {
            throw .invalidURL(.noDatabase)
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw .invalidURL(.noUser)
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw .invalidURL(.portOutOfRange(port))
        }
        // A host in brackets is an IPv6 literal; NIO wants it bare.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.username = user
        self.database = decodedDatabase
        let urlPassword = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        self.password = urlPassword ?? environment["PGPASSWORD"]

        var tls: TLSMode?
        var schema: String?
        var rootCertificate: String?
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw .invalidURL(.unsupportedSSLMode(value, known: TLSMode.allCases.map(\.rawValue)))
                }
                tls = mode
            case "schema":
                guard !value.isEmpty else { throw .invalidURL(.emptySchema) }
                schema = value
            case "sslrootcert":
                rootCertificate = value
            case "application_name", "connect_timeout":
                continue  // Accepted for compatibility with libpq URLs; Stockyard sets its own.
            default:
                throw .invalidURL(.unsupportedParameter(item.name))
            }
        }
        self.schema = schema
        self.rootCertificatePath = rootCertificate
        // Loopback traffic never leaves the machine; elsewhere, behave like libpq (prefer TLS).
        self.tls = tls ?? (Self.isLoopback(self.host) ? .disable : .prefer)
    }

    /// A copy in another schema of the same database: how tests and teams keep several states apart.
    public func inSchema(_ schema: String?) -> PostgresLocation {
        var copy = self
        copy.schema = schema
        return copy
    }

    /// The URL without its password, for messages.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var text = "postgres://\(username)@\(hostPart):\(port)/\(database)"
        if let schema { text += "?schema=\(schema)" }
        return text
    }

    /// Whether the URL carried a password (or `PGPASSWORD` did), without saying what it is.
    public var hasPassword: Bool { password?.isEmpty == false }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Removes the password from `text`, in case a library's message ever quotes it back.
    func redact(_ text: String) -> String {
        guard let password, !password.isEmpty else { return text }
        var out = text.replacingOccurrences(of: password, with: "***")
        if let encoded = password.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed), encoded != password {
            out = out.replacingOccurrences(of: encoded, with: "***")
        }
        return out
    }
}
