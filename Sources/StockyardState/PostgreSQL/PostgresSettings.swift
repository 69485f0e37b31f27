import Foundation
import PostgresNIO
import StockyardEngine

/// postgres-nio's two configurations (the pool's and a single connection's) for one location.
struct PostgresSettings {
    var client: PostgresClient.Configuration
    var connection: PostgresConnection.Configuration

    /// A CLI process runs one command: a small pool is plenty, and leaves the server's
    /// `max_connections` to the many pipelines that may share it.
    static let maximumConnections = 4

    init(_ location: PostgresLocation) throws(StateError) {
        let tls: TLSConfiguration?
        switch location.tls {
        case .disable:
            tls = nil
        case .prefer, .require:
            // libpq's meaning: encrypted, but the certificate is not checked.
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tls = configuration
        case .verifyCA, .verifyFull:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = location.tls == .verifyFull ? .fullVerification : .noHostnameVerification
            if let path = location.rootCertificatePath {
                configuration.trustRoots = .file(path)
            }
            tls = configuration
        }

        var parameters = [("application_name", "stockyard")]
        if let schema = location.schema {
            // A startup parameter is a setting's value: the identifier must be quoted as in SQL.
            parameters.append(("search_path", PostgresSQL.identifier(schema)))
        }

        var client = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: .disable
        )
        var connection = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: .disable
        )
        if let tls {
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: tls)
            } catch {
                throw .tlsSetup(place: location.description, mode: location.tls.rawValue, reason: "\(error)")
            }
            let required = location.tls != .prefer
            client.tls = required ? .require(tls) : .prefer(tls)
            connection.tls = required ? .require(context) : .prefer(context)
        }
        client.options.additionalStartupParameters = parameters
        client.options.maximumConnections = Self.maximumConnections
        connection.options.additionalStartupParameters = parameters
        self.client = client
        self.connection = connection
    }
}

/// Small SQL text helpers, for the few places where a name cannot be a bind parameter.
enum PostgresSQL {
    /// `name` as a quoted SQL identifier: `"name"`, with inner quotes doubled.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
