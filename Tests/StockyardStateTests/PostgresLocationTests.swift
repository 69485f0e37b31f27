import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

@Suite("PostgreSQL state URLs")
struct PostgresLocationTests {
    @Test("every part is read, and the description leaves the password out")
    func parts() throws {
        let location = try PostgresLocation(url: "postgres://ops:s3cret@db.internal:6543/hub?sslmode=require&schema=prod", environment: [:])
        #expect(location.host == "db.internal")
        #expect(location.port == 6543)
        #expect(location.username == "ops")
        #expect(location.password == "s3cret")
        #expect(location.database == "hub")
        #expect(location.schema == "prod")
        #expect(location.tls == .require)
        #expect(location.description == "postgres://ops@db.internal:6543/hub?schema=prod")
        #expect(!"\(location)".contains("s3cret"))
        #expect(!String(describing: [location]).contains("s3cret"))
    }

    @Test("user, password and database are percent-decoded")
    func percentDecoding() throws {
        let location = try PostgresLocation(url: "postgresql://us%40er:p%40ss%3Aw%2Frd%25@127.0.0.1/my%20db", environment: [:])
        #expect(location.username == "us@er")
        #expect(location.password == "p@ss:w/rd%")
        #expect(location.database == "my db")
        #expect(location.port == 5432)
        #expect(location.redact("auth p@ss:w/rd% and p%40ss%3Aw%2Frd%25") == "auth *** and ***")
    }

    @Test(
        "sslmode defaults to disable on loopback and prefer elsewhere",
        arguments: [
            ("127.0.0.1", PostgresLocation.TLSMode.disable), ("localhost", .disable), ("[::1]", .disable),
            ("db.example.com", .prefer), ("10.0.0.5", .prefer),
        ])
    func sslDefaults(host: String, mode: PostgresLocation.TLSMode) throws {
        #expect(try PostgresLocation(url: "postgres://u:p@\(host):5432/db", environment: [:]).tls == mode)
    }

    @Test("PGPASSWORD is used when the URL has no password")
    func passwordFromEnvironment() throws {
        let location = try PostgresLocation(url: "postgres://u@h/db", environment: ["PGPASSWORD": "from-env"])
        #expect(location.password == "from-env")
        #expect(location.hasPassword)
        let inURL = try PostgresLocation(url: "postgres://u:from-url@h/db", environment: ["PGPASSWORD": "from-env"])
        #expect(inURL.password == "from-url")
    }

    @Test(
        "bad URLs are refused without quoting them",
        arguments: [
            ("postgres://u:hunter2@/db", "names no host"),
            ("postgres://u:hunter2@h:5432", "must name one database"),
            ("postgres://u:hunter2@h:5432/", "must name one database"),
            ("postgres://:hunter2@h:5432/db", "names no user"),
            ("postgres://u:hunter2@h:5432/db?sslmode=allow-ish", "sslmode 'allow-ish' is not supported"),
            ("postgres://u:hunter2@h:5432/db?pool=9", "'pool' is not a supported parameter"),
            ("postgres://u:hunter2@h:99999999999/db", "must be between 1 and 65535"),
            ("postgres://u:hunter2@h:0/db", "must be between 1 and 65535"),
            ("postgres://u:hunter2@h:5432/db/extra", "must name one database"),
        ])
    func badURLs(url: String, message: String) {
        let error = #expect(throws: StateError.self) { try PostgresLocation(url: url, environment: [:]) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("hunter2") == false)
    }

    @Test("only postgres:// and postgresql:// name PostgreSQL states")
    func matching() {
        #expect(PostgresLocation.matches("postgres://u@h/db"))
        #expect(PostgresLocation.matches("PostgreSQL://u@h/db"))
        #expect(!PostgresLocation.matches(".stockyard/state.sqlite"))
        #expect(!PostgresLocation.matches("/tmp/postgres://x"))
    }
}
