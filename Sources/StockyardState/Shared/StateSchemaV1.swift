/// Version 1 of the state's tables, written once for both databases: the same tables, keys and
/// cascades, in each one's types, so that a state copied between them is the same state.
///
/// Warehouse codes are not UNIQUE: the config check keeps them unique, and a plan that moves a
/// code from a deleted warehouse to a new one creates before it deletes. `connections_warehouse`
/// keeps renames (ON UPDATE CASCADE) and in-use checks off a full scan. Sync marks and stock go
/// with their connection and warehouse (ON DELETE CASCADE). `pending_pushes.writes` is JSON text
/// in both, so a copy between them is verbatim.
enum StateSchemaV1 {
    /// How one database spells what the schema needs.
    struct Dialect: Sendable {
        var text: String
        /// Quantities and counts: Swift's `Int`.
        var integer: String
        /// A lock holder's pid, and the lock row's id.
        var smallInteger: String
        /// The `protect` column: true or false, false unless set.
        var protect: String
        /// Ends a table whose primary key is the natural way in.
        var keyedTable: String
        /// An ever-growing row number, the primary key.
        var sequence: String

        /// Keys are TEXT and tables WITHOUT ROWID where the key is the natural way in.
        static let sqlite = Dialect(
            text: "TEXT", integer: "INTEGER", smallInteger: "INTEGER",
            protect: "INTEGER NOT NULL DEFAULT 0 CHECK (protect IN (0, 1))", keyedTable: " WITHOUT ROWID",
            sequence: "INTEGER PRIMARY KEY AUTOINCREMENT"
        )
        /// Booleans are `boolean`, quantities `bigint`, row numbers identity columns.
        static let postgres = Dialect(
            text: "text", integer: "bigint", smallInteger: "integer", protect: "boolean NOT NULL DEFAULT false",
            keyedTable: "", sequence: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        )
    }

    /// The statements that create version 1, in order (PostgreSQL runs one at a time).
    static func statements(_ d: Dialect) -> [String] {
        let text = d.text
        return [
            "CREATE TABLE meta (key \(text) NOT NULL PRIMARY KEY, value \(text) NOT NULL)\(d.keyedTable)",
            """
            CREATE TABLE stores (key \(text) NOT NULL PRIMARY KEY, platform \(text) NOT NULL, target \(text) NOT NULL)\(d.keyedTable)
            """,
            """
            CREATE TABLE warehouses (
                key \(text) NOT NULL PRIMARY KEY, name \(text) NOT NULL, code \(text), kind \(text) NOT NULL,
                protect \(d.protect)
            )\(d.keyedTable)
            """,
            """
            CREATE TABLE connections (
                store \(text) NOT NULL REFERENCES stores(key) ON UPDATE CASCADE,
                location_id \(text) NOT NULL,
                location_name \(text) NOT NULL,
                warehouse \(text) NOT NULL REFERENCES warehouses(key) ON UPDATE CASCADE,
                master \(text) NOT NULL,
                protect \(d.protect),
                PRIMARY KEY (store, location_id)
            )\(d.keyedTable)
            """,
            "CREATE INDEX connections_warehouse ON connections (warehouse)",
            """
            CREATE TABLE stock (
                warehouse \(text) NOT NULL REFERENCES warehouses(key) ON UPDATE CASCADE ON DELETE CASCADE,
                sku \(text) NOT NULL, quantity \(d.integer) NOT NULL,
                PRIMARY KEY (warehouse, sku)
            )\(d.keyedTable)
            """,
            """
            CREATE TABLE sync_marks (
                store \(text) NOT NULL, location_id \(text) NOT NULL, sku \(text) NOT NULL, quantity \(d.integer) NOT NULL,
                PRIMARY KEY (store, location_id, sku),
                FOREIGN KEY (store, location_id) REFERENCES connections (store, location_id) ON UPDATE CASCADE ON DELETE CASCADE
            )\(d.keyedTable)
            """,
            """
            CREATE TABLE pending_pushes (
                seq \(d.sequence), key \(text) NOT NULL UNIQUE, store \(text) NOT NULL, location_id \(text) NOT NULL,
                writes \(text) NOT NULL
            )
            """,
            """
            CREATE TABLE history (
                id \(d.sequence), time \(text) NOT NULL, plan_id \(text) NOT NULL, address \(text) NOT NULL,
                action \(text) NOT NULL, before_json \(text), after_json \(text)
            )
            """,
            """
            CREATE TABLE lock (
                id \(d.smallInteger) PRIMARY KEY CHECK (id = 1), holder \(text) NOT NULL, host \(text) NOT NULL,
                pid \(d.smallInteger) NOT NULL, since \(text) NOT NULL, command \(text) NOT NULL
            )
            """,
        ]
    }
}
