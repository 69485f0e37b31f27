import Foundation
import StockyardAdapters
import StockyardConfig
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardCLI

/// Every error a user can see, one golden file per error type with one line per case: a change of
/// wording shows in review as a diff of the golden (STOCKYARD_REGENERATE_GOLDENS=1 rewrites them).
/// Each test also reads the type's declaration, so a case added without a sample here fails.
@Suite struct ErrorMessageTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens/errors")
    static let sources = CLIRunner.repository.appendingPathComponent("Sources")

    /// `name: message` lines, in the order given.
    static func golden(_ samples: [(String, any ReportableError)]) -> String {
        samples.map { name, error in
            let fault = error.fault == .bug ? " [bug]" : ""
            return "\(name)\(fault): \(error.description)\n"
        }.joined()
    }

    /// The names of the cases declared at `indent` in a source file (`    case name(` or `    case name`).
    static func declaredCases(in file: String, indent: Int) throws -> Set<String> {
        let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
        let prefix = String(repeating: " ", count: indent) + "case "
        return Set(
            text.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix(prefix), !line.dropFirst(prefix.count).hasPrefix(".") else { return nil }
                return String(line.dropFirst(prefix.count).prefix { $0.isLetter || $0.isNumber })
            })
    }

    static func check(_ samples: [(String, any ReportableError)], file: String, golden name: String, nestedIndent: Int? = nil) throws {
        let sampled = Set(samples.map { $0.0.split(separator: ".").first.map(String.init) ?? $0.0 })
        let declared = try declaredCases(in: file, indent: 4)
        #expect(declared.subtracting(sampled).isEmpty, "cases of \(file) without a sample: \(declared.subtracting(sampled).sorted())")
        if let nestedIndent {
            let nested = Set(samples.compactMap { $0.0.split(separator: ".").dropFirst().first.map(String.init) })
            let declaredNested = try declaredCases(in: file, indent: nestedIndent)
            #expect(declaredNested.subtracting(nested).isEmpty, "nested cases of \(file) without a sample: \(declaredNested.subtracting(nested).sorted())")
        }
        #expect(try Goldens.matches(golden(samples), name, in: goldens), "\(name) differs from its golden file")
    }

    @Test func stateErrors() throws {
        let place = ".stockyard/state.sqlite"
        let pg = "postgres://stockyard@db.example:5432/hub"
        let server = "PostgreSQL at db.example:5432 (database 'hub', user 'stockyard')"
        let id = ConnectionRecord.ID(store: "acme-uk", locationID: "gid://shopify/Location/1")
        let samples: [(String, any ReportableError)] = [
            ("isDirectory", StateError.isDirectory(path: place)),
            ("cannotCreateDirectory", StateError.cannotCreateDirectory(path: place, reason: "permission denied")),
            ("cannotCreate", StateError.cannotCreate(path: place, reason: "No space left on device")),
            ("cannotOpen", StateError.cannotOpen(place: place, reason: "unable to open database file")),
            ("openedToRead", StateError.openedToRead(place: place)),
            ("absentWithoutCreate", StateError.absentWithoutCreate(place: place)),
            ("emptyWithoutCreate", StateError.emptyWithoutCreate(place: pg)),
            ("newerSchema", StateError.newerSchema(place: place, version: 3)),
            ("notStockyard", StateError.notStockyard(place: place, reason: "file is not a database", hint: nil)),
            (
                "notStockyard",
                StateError.notStockyard(
                    place: pg, reason: "it holds tables Stockyard did not create", hint: "give Stockyard a schema of its own with ?schema=NAME")
            ),
            ("damaged.corrupt", StateError.damaged(place: place, .corrupt(reason: "database disk image is malformed"))),
            ("damaged.unknownPlatform", StateError.damaged(place: place, .unknownPlatform(store: "acme-uk", value: "etsy"))),
            ("damaged.unknownWarehouseKind", StateError.damaged(place: place, .unknownWarehouseKind(warehouse: "leeds", value: "depot"))),
            ("damaged.unknownMaster", StateError.damaged(place: place, .unknownMaster(id, value: "both"))),
            ("damaged.unreadablePendingPush", StateError.damaged(place: place, .unreadablePendingPush(key: "k1", store: "acme-uk", locationID: "1"))),
            ("damaged.unknownAction", StateError.damaged(place: place, .unknownAction(address: "warehouse.leeds", value: "merge"))),
            ("damaged.unreadableHistoryRecord", StateError.damaged(place: place, .unreadableHistoryRecord(address: "warehouse.leeds"))),
            ("damaged.unreadableColumn", StateError.damaged(place: pg, .unreadableColumn(column: "quantity", type: "TEXT"))),
            ("busy", StateError.busy(place: place, reason: "database is locked")),
            ("cannotWrite", StateError.cannotWrite(place: place, reason: "attempt to write a readonly database")),
            ("failed", StateError.failed(doing: "reading", place: place, reason: "disk I/O error")),
            ("notEmpty", StateError.notEmpty(place: pg, stores: 2, warehouses: 3, connections: 4, stockRows: 5, historyEntries: 6)),
            ("historyUnencodable", StateError.historyUnencodable(place: place, address: "warehouse.leeds", reason: "invalid value")),
            ("rule", StateError.rule(.syncMarksConnectionMissing(id))),
            ("lockLost", StateError.lockLost),
            ("invalidURL.malformed", StateError.invalidURL(.malformed)),
            ("invalidURL.noHost", StateError.invalidURL(.noHost)),
            ("invalidURL.noDatabase", StateError.invalidURL(.noDatabase)),
            ("invalidURL.noUser", StateError.invalidURL(.noUser)),
            ("invalidURL.portOutOfRange", StateError.invalidURL(.portOutOfRange(70_000))),
            ("invalidURL.unsupportedSSLMode", StateError.invalidURL(.unsupportedSSLMode("allow", known: ["disable", "prefer", "require"]))),
            ("invalidURL.emptySchema", StateError.invalidURL(.emptySchema)),
            ("invalidURL.unsupportedParameter", StateError.invalidURL(.unsupportedParameter("target_session_attrs"))),
            ("tlsSetup", StateError.tlsSetup(place: pg, mode: "verify-full", reason: "no such file")),
            ("unreachable", StateError.unreachable(server: server, reason: "Connection refused")),
            ("serverStarting", StateError.serverStarting(server: server, reason: "the database system is starting up")),
            ("tlsNotAccepted", StateError.tlsNotAccepted(server: server, mode: "require")),
            ("tlsFailed", StateError.tlsFailed(server: server, reason: "handshake failed")),
            ("authMethodUnsupported", StateError.authMethodUnsupported(server: server)),
            ("passwordMissing", StateError.passwordMissing(server: server)),
            ("passwordRejected", StateError.passwordRejected(server: server)),
            ("loginRefused", StateError.loginRefused(server: server, reason: "password authentication failed for user \"stockyard\"")),
            ("databaseMissing", StateError.databaseMissing(server: server, database: "hub", reason: "database \"hub\" does not exist")),
            ("permissionDenied", StateError.permissionDenied(doing: "creating", place: pg, reason: "permission denied for schema public")),
            ("readOnlyReplica", StateError.readOnlyReplica(doing: "writing", place: pg, reason: "cannot execute INSERT in a read-only transaction")),
            ("connectionClosed", StateError.connectionClosed(doing: "reading", place: pg, reason: "Connection reset by peer")),
            ("closed", StateError.closed(doing: "reading", place: pg)),
        ]
        try Self.check(samples, file: "StockyardEngine/State/StateError.swift", golden: "StateError.txt", nestedIndent: 8)
    }

    /// The rules every state store holds a mutation to, as a refused commit says them.
    @Test func stateRuleViolations() throws {
        let two = ConnectionUsage(count: 2, first: ["acme-uk[\"Leeds DC\"]", "acme-us[\"Leeds\"]"])
        let many = ConnectionUsage(count: 5, first: ["a[\"1\"]", "a[\"2\"]", "b[\"1\"]"])
        let samples: [(String, any ReportableError)] = [
            ("storeInUse", StateError.rule(.storeInUse(store: "acme-uk", users: ConnectionUsage(count: 1, first: ["acme-uk[\"Leeds DC\"]"])))),
            ("warehouseInUse", StateError.rule(.warehouseInUse(warehouse: "leeds", users: two))),
            ("warehouseInUse", StateError.rule(.warehouseInUse(warehouse: "leeds", users: many))),
            ("renameSourceMissing", StateError.rule(.renameSourceMissing(from: "leeds", to: "leeds-dc"))),
            ("renameTargetExists", StateError.rule(.renameTargetExists(from: "leeds", to: "york"))),
            ("connectionStoreMissing", StateError.rule(.connectionStoreMissing(connection: "acme-uk[\"Leeds DC\"]", store: "acme-uk"))),
            ("connectionWarehouseMissing", StateError.rule(.connectionWarehouseMissing(connection: "acme-uk[\"Leeds DC\"]", warehouse: "leeds"))),
            ("stockWarehouseMissing", StateError.rule(.stockWarehouseMissing(warehouse: "leeds"))),
            ("syncMarksConnectionMissing", StateError.rule(.syncMarksConnectionMissing(ConnectionRecord.ID(store: "acme-uk", locationID: "1")))),
            ("readMarkConnectionMissing", StateError.rule(.readMarkConnectionMissing(ConnectionRecord.ID(store: "acme-uk", locationID: "1")))),
        ]
        try Self.check(samples, file: "StockyardEngine/State/StateRuleViolation.swift", golden: "StateRuleViolation.txt")
    }

    @Test func configErrors() throws {
        let samples: [(String, any ReportableError)] = [
            ("missing", ConfigError.missing(path: "stockyard.yaml")),
            ("isDirectory", ConfigError.isDirectory(path: "config")),
            ("unreadable", ConfigError.unreadable(path: "stockyard.yaml")),
        ]
        try Self.check(samples, file: "StockyardConfig/ConfigError.swift", golden: "ConfigError.txt")
    }

    @Test func fileStoreErrors() throws {
        let file = "stores/3pl.json"
        let samples: [(String, any ReportableError)] = [
            ("missing", FileStoreError.missing(file: file)),
            ("danglingSymlink", FileStoreError.danglingSymlink(file: file, target: "/mnt/gone.json")),
            ("unreadable", FileStoreError.unreadable(file: file, reason: "permission denied")),
            ("isFolder", FileStoreError.isFolder(file: file)),
            ("isFIFO", FileStoreError.isFIFO(file: file)),
            ("isDeviceOrSocket", FileStoreError.isDeviceOrSocket(file: file)),
            ("folderUnopenable", FileStoreError.folderUnopenable(file: file, reason: "permission denied")),
            ("folderUnlockable", FileStoreError.folderUnlockable(file: file, reason: "Resource temporarily unavailable")),
            ("unwritable", FileStoreError.unwritable(file: file, reason: "the disk is full")),
            ("modeNotKept", FileStoreError.modeNotKept(file: file, reason: "permission denied")),
            ("ownerNotKept", FileStoreError.ownerNotKept(file: file, uid: 1000, gid: 1000, reason: "permission denied")),
            ("invalid", FileStoreError.invalid(file: file, line: 3, column: 14, reason: "key \"S1\" appears twice in this object")),
            ("unknownLocation", FileStoreError.unknownLocation(file: file, locationID: "loc-9")),
            ("quantityOutOfRange", FileStoreError.quantityOutOfRange(file: file, sku: "S1", locationID: "loc-1", quantity: -5)),
        ]
        try Self.check(samples, file: "StockyardAdapters/FileStoreError.swift", golden: "FileStoreError.txt")
    }

    @Test func shopifyErrors() throws {
        let s = "acme-uk"
        let samples: [(String, any ReportableError)] = [
            ("credentialRefused", ShopifyError.credentialRefused(store: s, reason: "store 'acme-uk': `credentials: env:AWS_SECRET_ACCESS_KEY` is not allowed")),
            ("variableUnset", ShopifyError.variableUnset(store: s, name: "SHOPIFY_UK_TOKEN")),
            ("variableEmpty", ShopifyError.variableEmpty(store: s, name: "SHOPIFY_UK_TOKEN")),
            ("credentialFileMissing", ShopifyError.credentialFileMissing(store: s, path: "secrets/uk.token")),
            ("credentialFileUnreadable", ShopifyError.credentialFileUnreadable(store: s, path: "secrets/uk.token")),
            ("credentialFileEmpty", ShopifyError.credentialFileEmpty(store: s, path: "secrets/uk.token")),
            ("tokenMalformed", ShopifyError.tokenMalformed(store: s, reference: "env:SHOPIFY_UK_TOKEN")),
            ("endpointRefused", ShopifyError.endpointRefused(store: s, reason: "store 'acme-uk': `endpoint` http://10.0.0.5 is not allowed")),
            ("endpointUnusable", ShopifyError.endpointUnusable(store: s, base: "https://")),
            ("endpointNotHTTPS", ShopifyError.endpointNotHTTPS(store: s)),
            ("noAdminAPI", ShopifyError.noAdminAPI(store: s, url: "https://acme-uk.myshopify.com/admin/api/2025-01/graphql.json")),
            ("redirected", ShopifyError.redirected(store: s, status: 301)),
            ("tokenRejected", ShopifyError.tokenRejected(store: s)),
            ("accessRefused", ShopifyError.accessRefused(store: s)),
            ("accessDenied", ShopifyError.accessDenied(store: s, reason: "Access denied for inventoryItems field", scope: "read_inventory")),
            ("keptThrottling", ShopifyError.keptThrottling(store: s, reason: "Throttled", waits: 8)),
            ("askedToWait", ShopifyError.askedToWait(store: s, seconds: 600)),
            ("frozen", ShopifyError.frozen(store: s)),
            ("shopLocked", ShopifyError.shopLocked(store: s)),
            ("httpStatus", ShopifyError.httpStatus(store: s, status: 418)),
            ("gaveUp", ShopifyError.gaveUp(store: s, malformed: false, reason: "Shopify answered HTTP 503", attempts: 4)),
            ("gaveUp", ShopifyError.gaveUp(store: s, malformed: true, reason: "Shopify sent a response that is not valid JSON", attempts: 1)),
            ("updateInProgress", ShopifyError.updateInProgress(store: s)),
            ("bulkFailed", ShopifyError.bulkFailed(store: s, locationID: "gid://shopify/Location/1", code: "INTERNAL_SERVER_ERROR")),
            ("bulkFailed", ShopifyError.bulkFailed(store: s, locationID: "gid://shopify/Location/1", code: nil)),
            ("bulkCancelled", ShopifyError.bulkCancelled(store: s, locationID: "gid://shopify/Location/1")),
            ("bulkExpired", ShopifyError.bulkExpired(store: s, locationID: "gid://shopify/Location/1")),
            ("bulkTimedOut", ShopifyError.bulkTimedOut(store: s, locationID: "gid://shopify/Location/1", seconds: 600)),
            ("bulkDownloadFailed", ShopifyError.bulkDownloadFailed(store: s, locationID: "gid://shopify/Location/1", reason: "HTTP 503", attempts: 4)),
            ("notAcceptableJSON", ShopifyError.notAcceptableJSON(store: s, operation: "Locations", reason: "key \"id\" appears twice", offset: 120)),
            ("unexpectedShape", ShopifyError.unexpectedShape(store: s, operation: "Locations", reason: "locations.nodes[0].id is missing")),
            ("unreadableAnswer", ShopifyError.unreadableAnswer(store: s, operation: "Locations", reason: "the data is not UTF-8")),
            ("noData", ShopifyError.noData(store: s, operation: "Locations")),
            ("noResult", ShopifyError.noResult(store: s, what: "the inventory update")),
            (
                "skuOnTwoItems",
                ShopifyError.skuOnTwoItems(
                    store: s, sku: "S1", locationID: "gid://shopify/Location/1", first: "gid://shopify/InventoryItem/1", second: "gid://shopify/InventoryItem/2"
                )
            ),
            ("quantityOutOfRange", ShopifyError.quantityOutOfRange(store: s, sku: "S1", locationID: "gid://shopify/Location/1", available: 2_000_000_000)),
            ("noNewCursor", ShopifyError.noNewCursor(store: s, what: "locations")),
            ("unknownBulkOperation", ShopifyError.unknownBulkOperation(store: s, id: "gid://shopify/BulkOperation/7")),
            ("bulkURLNotHTTPS", ShopifyError.bulkURLNotHTTPS(store: s)),
            ("bulkLineUnreadable", ShopifyError.bulkLineUnreadable(store: s, locationID: "gid://shopify/Location/1", reason: "unexpected end of input")),
            ("bulkLineForeign", ShopifyError.bulkLineForeign(store: s, locationID: "gid://shopify/Location/1", parent: "gid://shopify/Location/2")),
            ("refused", ShopifyError.refused(store: s, operation: "Locations", reason: "Field 'foo' doesn't exist")),
            (
                "updateRefused",
                ShopifyError.updateRefused(
                    store: s, reason: "The quantity is invalid (INVALID_QUANTITY) for SKU 'S1' at location gid://shopify/Location/1", afterEarlierBatches: false
                )
            ),
            (
                "bulkRefused",
                ShopifyError.bulkRefused(
                    store: s, locationID: "gid://shopify/Location/1", reason: "A bulk query operation for this app and shop is already in progress")
            ),
            ("skuNotStocked", ShopifyError.skuNotStocked(store: s, sku: "S1", locationID: "gid://shopify/Location/1")),
            ("noLocation", ShopifyError.noLocation(store: s, locationID: "gid://shopify/Location/9")),
        ]
        try Self.check(samples, file: "StockyardAdapters/Shopify/ShopifyError.swift", golden: "ShopifyError.txt")
    }

    @Test func cliFailures() throws {
        let lock = LockInfo(holder: "h", host: "ci-runner-3", pid: 4242, since: "2026-06-01T09:30:00Z", command: "stockyard apply")
        let samples: [(String, any ReportableError)] = [
            ("failed", CLIFailure.failed(ConfigError.missing(path: "stockyard.yaml"))),
            ("failed", CLIFailure.failed(StateError.historyUnencodable(place: "s.sqlite", address: "warehouse.leeds", reason: "invalid value"))),
            (
                "storesRefused",
                CLIFailure.storesRefused(problems: [
                    "stockyard.yaml:4:5: store 'acme-uk': `endpoint` http://10.0.0.5 is not allowed; pass --allow-endpoint http://10.0.0.5",
                    "stockyard.yaml:9:5: store '3pl': `path` /etc/passwd is outside the config's folder; pass --allow-path /etc",
                ])
            ),
            ("storeUnreadable", CLIFailure.storeUnreadable(store: "acme-uk")),
            ("outputExists", CLIFailure.outputExists(path: "stockyard.yaml")),
            ("cannotWrite", CLIFailure.cannotWrite(path: "stockyard.yaml", reason: "permission denied")),
            ("cannotIgnoreState", CLIFailure.cannotIgnoreState(line: ".stockyard/", folder: "/work/shop", reason: "permission denied")),
            ("noSuchStore", CLIFailure.noSuchStore(key: "acme-ku", file: "stockyard.yaml", suggestion: "; did you mean 'acme-uk'?")),
            ("syncStopped", CLIFailure.syncStopped(reason: "the state at s.sqlite is busy")),
            ("planUnwritable", CLIFailure.planUnwritable(path: "plan.json", reason: "permission denied")),
            ("planMissing", CLIFailure.planMissing(path: "plan.json")),
            ("planNotRegularFile", CLIFailure.planNotRegularFile(path: "plan.json")),
            ("planTooLarge", CLIFailure.planTooLarge(path: "plan.json", size: 80_000_000, limit: 64_000_000)),
            ("planUnreadable", CLIFailure.planUnreadable(path: "plan.json")),
            (
                "planUncheckable",
                CLIFailure.planUncheckable(path: "plan.json", errors: ["store 'acme-uk' could not be read: HTTP 503", "store '3pl' could not be read"])
            ),
            (
                "configChangedSincePlan",
                CLIFailure.configChangedSincePlan(config: "stockyard.yaml", then: String(repeating: "a1", count: 32), now: String(repeating: "b2", count: 32))
            ),
            ("planHasErrors", CLIFailure.planHasErrors(path: "plan.json")),
            ("planStateMissing", CLIFailure.planStateMissing(lineage: "6f1c", state: ".stockyard/state.sqlite")),
            ("planOtherState", CLIFailure.planOtherState(lineage: "6f1c", current: "9a2b")),
            (
                "applyRefused",
                CLIFailure.applyRefused([
                    .init(
                        .largeChange,
                        "the plan deletes 9 of 20 existing objects (45%), more than `safety.max_delete_percent: 30`; if that is intended, run again with --allow-large-change"
                    )
                ])
            ),
            (
                "applyRefused",
                CLIFailure.applyRefused([
                    .init(.stale, "warehouse.leeds: was deleted since the plan"),
                    .init(.stockLoss, "warehouse.york holds 12 units of stock that would be lost; move the stock first, or run again with --allow-stock-loss"),
                ])
            ),
            ("noTerminalToConfirm", CLIFailure.noTerminalToConfirm),
            ("applyCancelled", CLIFailure.applyCancelled),
            ("locked", CLIFailure.locked(lock)),
            ("lockHolderRunning", CLIFailure.lockHolderRunning(lock)),
            ("lockSessionStillHeld", CLIFailure.lockSessionStillHeld(lock)),
            ("sameState", CLIFailure.sameState),
            ("nothingToMigrate", CLIFailure.nothingToMigrate(state: ".stockyard/state.sqlite")),
            ("cannotMigrateInto", CLIFailure.cannotMigrateInto(state: "postgres://stockyard@db.example:5432/hub")),
            ("migrationFailed", CLIFailure.migrationFailed(target: "postgres://stockyard@db.example:5432/hub", reason: StateError.lockLost)),
            (
                "copyDiffers",
                CLIFailure.copyDiffers(
                    target: "postgres://stockyard@db.example:5432/hub", source: ".stockyard/state.sqlite",
                    differences: ["lineage: 6f1c in the original, none in the copy", "warehouse leeds: 120 units in the original, 0 in the copy"])
            ),
        ]
        try Self.check(samples, file: "StockyardCLI/CLIFailure.swift", golden: "CLIFailure.txt")
    }

    /// What the CLI prints: a user error as one `error:` line; a bug says it is one.
    @Test func reportTellsABugFromAUserError() {
        let user = CLIFailure.failed(ConfigError.missing(path: "stockyard.yaml"))
        #expect(user.report == "error: no config file at stockyard.yaml; pass --config PATH or run `stockyard init`\n")
        let bug = CLIFailure.failed(StateError.historyUnencodable(place: "s.sqlite", address: "warehouse.leeds", reason: "invalid value"))
        #expect(bug.fault == .bug)
        #expect(
            bug.report.hasPrefix(
                "error: could not record history entry warehouse.leeds in the state at s.sqlite: invalid value\nnote: this is a bug in Stockyard"))
    }
}
