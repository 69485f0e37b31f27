/// Why the state could not be used: every case a state store reports, worded once in
/// ``description``. Messages are for users; none carries a secret. `place` is the state as messages
/// name it (a file path, or a PostgreSQL location without its password); `reason` is the words of
/// the database, the server or the system, which Stockyard passes on.
public enum StateError: ReportableError, Hashable {
    // MARK: - Opening and creating
    case isDirectory(path: String)
    case cannotCreateDirectory(path: String, reason: String)
    case cannotCreate(path: String, reason: String)
    case cannotOpen(place: String, reason: String)
    /// A write to a state opened to read only.
    case openedToRead(place: String)
    /// A write to a state file that does not exist, opened without create.
    case absentWithoutCreate(place: String)
    /// A write to a database that holds no state, opened without create.
    case emptyWithoutCreate(place: String)
    /// A reading command met a state an older Stockyard wrote, which only a writing command upgrades.
    case newerSchema(place: String, version: Int)
    case notStockyard(place: String, reason: String, hint: String?)
    case damaged(place: String, Damage)
    /// Another process held the state for too long (SQLite's "database is locked"): trying again helps.
    case busy(place: String, reason: String)
    case cannotWrite(place: String, reason: String)
    case failed(doing: String, place: String, reason: String)
    /// `state migrate` copies only into an empty state.
    case notEmpty(place: String, stores: Int, warehouses: Int, connections: Int, stockRows: Int, historyEntries: Int)
    /// A history record could not be encoded: Stockyard wrote a record it cannot write.
    case historyUnencodable(place: String, address: String, reason: String)
    /// A mutation broke one of the state's rules; the same on every store.
    case rule(StateRuleViolation)
    case lockLost

    // MARK: - PostgreSQL
    case invalidURL(URLProblem)
    case tlsSetup(place: String, mode: String, reason: String)
    case unreachable(server: String, reason: String)
    case serverStarting(server: String, reason: String)
    case tlsNotAccepted(server: String, mode: String)
    case tlsFailed(server: String, reason: String)
    case authMethodUnsupported(server: String)
    case passwordMissing(server: String)
    case passwordRejected(server: String)
    case loginRefused(server: String, reason: String)
    case databaseMissing(server: String, database: String, reason: String)
    case permissionDenied(doing: String, place: String, reason: String)
    case readOnlyReplica(doing: String, place: String, reason: String)
    case connectionClosed(doing: String, place: String, reason: String)
    case closed(doing: String, place: String)

    /// What is wrong inside a state whose schema this build knows (damaged by hand or by a bug).
    public enum Damage: Sendable, Hashable {
        /// The database's own report of a damaged file.
        case corrupt(reason: String)
        case unknownPlatform(store: String, value: String)
        case unknownWarehouseKind(warehouse: String, value: String)
        case unknownMaster(ConnectionRecord.ID, value: String)
        case unreadablePendingPush(key: String, store: String, locationID: String)
        case unknownAction(address: String, value: String)
        case unreadableHistoryRecord(address: String)
        case unreadableColumn(column: String, type: String)
    }

    /// What is wrong with a `postgres://` state URL. The messages never quote the URL: it may hold the password.
    public enum URLProblem: Sendable, Hashable {
        case malformed
        case noHost
        case noDatabase
        case noUser
        case portOutOfRange(Int)
        case unsupportedSSLMode(String, known: [String])
        case emptySchema
        case unsupportedParameter(String)
    }

    /// Another process held the state for a moment: trying again helps.
    public var isBusy: Bool {
        if case .busy = self { return true }
        return false
    }

    /// The rule a refused mutation broke, when that is why.
    public var violation: StateRuleViolation? {
        if case .rule(let violation) = self { return violation }
        return nil
    }

    public var fault: ErrorFault {
        if case .historyUnencodable = self { return .bug }
        return .user
    }

    public var message: String { description }

    public var description: String {
        switch self {
        case .isDirectory(let path):
            "the state at \(path) is a directory, not a Stockyard state database"
        case .cannotCreateDirectory(let path, let reason):
            "could not create the directory for the state at \(path): \(reason)"
        case .cannotCreate(let path, let reason):
            "could not create the state at \(path): \(reason)"
        case .cannotOpen(let place, let reason):
            "could not open the state at \(place): \(reason)"
        case .openedToRead(let place):
            "state is read-only here: \(place) was opened to read only"
        case .absentWithoutCreate(let place):
            "state is read-only here: \(place) does not exist and was opened without create"
        case .emptyWithoutCreate(let place):
            "state is read-only here: \(place) holds no Stockyard state and was opened without create"
        case .newerSchema(let place, let version):
            "the state at \(place) was written by a newer Stockyard (schema \(version)); upgrade Stockyard to use it"
        case .notStockyard(let place, let reason, let hint):
            "the state at \(place) is not a Stockyard state database: \(reason)" + (hint.map { "; \($0)" } ?? "")
        case .damaged(let place, let damage):
            "the state at \(place) is damaged: \(damage)"
        case .busy(let place, let reason):
            "the state at \(place) is busy: another process kept it locked for too long (\(reason))"
        case .cannotWrite(let place, let reason):
            "the state at \(place) cannot be written: \(reason)"
        case .failed(let doing, let place, let reason):
            "\(doing) the state at \(place) failed: \(reason)"
        case .notEmpty(let place, let stores, let warehouses, let connections, let stockRows, let historyEntries):
            "the state at \(place) is not empty (\(stores) stores, \(warehouses) warehouses, \(connections) connections, \(stockRows) stock rows, \(historyEntries) history entries); migrate only into an empty state"
        case .historyUnencodable(let place, let address, let reason):
            "could not record history entry \(address) in the state at \(place): \(reason)"
        case .rule(let violation):
            violation.description
        case .lockLost:
            "lost the apply lock: its connection to the server closed; nothing more was written, run the apply again"
        case .invalidURL(let problem):
            problem.description
        case .tlsSetup(let place, let mode, let reason):
            "could not set up TLS (sslmode=\(mode)) for the state at \(place): \(reason)"
        case .unreachable(let server, let reason):
            "could not connect to \(server): \(reason)"
        case .serverStarting(let server, let reason):
            "could not connect to \(server): \(reason); the server is starting or stopping, try again"
        case .tlsNotAccepted(let server, let mode):
            "\(server) does not accept TLS, but sslmode=\(mode) needs it; enable ssl on the server, or use sslmode=disable on a network you trust"
        case .tlsFailed(let server, let reason):
            "could not start TLS with \(server): \(reason)"
        case .authMethodUnsupported(let server):
            "could not log in to \(server): the server asks for an authentication method Stockyard does not support; use scram-sha-256 or md5 (pg_hba.conf)"
        case .passwordMissing(let server):
            "could not log in to \(server): the server wants a password and the state URL has none; add it to the URL or set PGPASSWORD"
        case .passwordRejected(let server):
            "could not log in to \(server): password authentication failed (SCRAM); check the user and password in the state URL"
        case .loginRefused(let server, let reason):
            "could not log in to \(server): \(reason); check the user and password in the state URL"
        case .databaseMissing(let server, let database, let reason):
            "could not open the state: \(server): \(reason); create the database first (createdb \(database))"
        case .permissionDenied(let doing, let place, let reason):
            "\(doing) the state at \(place) failed: \(reason); the user needs rights on the database and schema (or an empty schema of its own, ?schema=NAME)"
        case .readOnlyReplica(let doing, let place, let reason):
            "\(doing) the state at \(place) failed: \(reason); the server is a read-only replica, point --state at the primary"
        case .connectionClosed(let doing, let place, let reason):
            "\(doing) the state at \(place) failed: the server closed the connection (\(reason))"
        case .closed(let doing, let place):
            "\(doing) the state at \(place) failed: the connection was closed"
        }
    }
}

extension StateError.Damage: CustomStringConvertible {
    public var description: String {
        switch self {
        case .corrupt(let reason):
            "\(reason); restore it from a backup"
        case .unknownPlatform(let store, let value):
            "store '\(store)' has an unknown platform '\(value)'"
        case .unknownWarehouseKind(let warehouse, let value):
            "warehouse '\(warehouse)' has an unknown kind '\(value)'"
        case .unknownMaster(let id, let value):
            "connection \(id.store)/\(id.locationID) has an unknown master '\(value)'"
        case .unreadablePendingPush(let key, let store, let locationID):
            "pending push \(key) to \(store) location \(locationID) holds writes that cannot be read, so whether it landed cannot be checked"
        case .unknownAction(let address, let value):
            "history entry \(address) has an unknown action '\(value)'"
        case .unreadableHistoryRecord(let address):
            "history entry \(address) holds a record that cannot be read"
        case .unreadableColumn(let column, let type):
            "column '\(column)' holds a value of type \(type) that this Stockyard cannot read"
        }
    }
}

extension StateError.URLProblem: CustomStringConvertible {
    private static let expected = "expected postgres://USER:PASSWORD@HOST:PORT/DATABASE"

    public var description: String {
        switch self {
        case .malformed:
            "the PostgreSQL state URL is not valid; \(Self.expected) (percent-encode special characters in the password)"
        case .noHost:
            "the PostgreSQL state URL names no host; \(Self.expected)"
        case .noDatabase:
            "the PostgreSQL state URL must name one database after the host; \(Self.expected)"
        case .noUser:
            "the PostgreSQL state URL names no user; \(Self.expected)"
        case .portOutOfRange(let port):
            "the port in the PostgreSQL state URL must be between 1 and 65535, not \(port)"
        case .unsupportedSSLMode(let value, let known):
            "sslmode '\(value)' is not supported in the PostgreSQL state URL; use one of: \(known.joined(separator: ", "))"
        case .emptySchema:
            "schema= in the PostgreSQL state URL is empty"
        case .unsupportedParameter(let name):
            "'\(name)' is not a supported parameter of the PostgreSQL state URL; supported: sslmode, sslrootcert, schema"
        }
    }
}
