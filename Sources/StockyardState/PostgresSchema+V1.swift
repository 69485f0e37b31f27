extension PostgresSchema {
    /// Version 1: SQLite's v1 with PostgreSQL types. Booleans are `boolean`, quantities `bigint`
    /// (Swift's `Int`), history ids an identity column. Warehouse codes are not unique, for the same
    /// reason as in SQLite (a plan may move a code from a deleted warehouse to a new one).
    /// `pending_pushes.writes` is JSON text, as in SQLite, so a copy between the two is verbatim.
    /// `schema_migrations` replaces GRDB's `grdb_migrations`.
    static let v1 = [
        "CREATE TABLE schema_migrations (identifier text NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
        "CREATE TABLE meta (key text NOT NULL PRIMARY KEY, value text NOT NULL)",
        "CREATE TABLE stores (key text NOT NULL PRIMARY KEY, platform text NOT NULL, target text NOT NULL)",
        """
        CREATE TABLE warehouses (
            key text NOT NULL PRIMARY KEY,
            name text NOT NULL,
            code text,
            kind text NOT NULL,
            protect boolean NOT NULL DEFAULT false
        )
        """,
        """
        CREATE TABLE connections (
            store text NOT NULL REFERENCES stores(key) ON UPDATE CASCADE,
            location_id text NOT NULL,
            location_name text NOT NULL,
            warehouse text NOT NULL REFERENCES warehouses(key) ON UPDATE CASCADE,
            master text NOT NULL,
            protect boolean NOT NULL DEFAULT false,
            PRIMARY KEY (store, location_id)
        )
        """,
        "CREATE INDEX connections_warehouse ON connections (warehouse)",
        """
        CREATE TABLE stock (
            warehouse text NOT NULL REFERENCES warehouses(key) ON UPDATE CASCADE ON DELETE CASCADE,
            sku text NOT NULL,
            quantity bigint NOT NULL,
            PRIMARY KEY (warehouse, sku)
        )
        """,
        """
        CREATE TABLE sync_marks (
            store text NOT NULL,
            location_id text NOT NULL,
            sku text NOT NULL,
            quantity bigint NOT NULL,
            PRIMARY KEY (store, location_id, sku),
            FOREIGN KEY (store, location_id) REFERENCES connections (store, location_id)
                ON UPDATE CASCADE ON DELETE CASCADE
        )
        """,
        """
        CREATE TABLE pending_pushes (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key text NOT NULL UNIQUE,
            store text NOT NULL,
            location_id text NOT NULL,
            writes text NOT NULL
        )
        """,
        """
        CREATE TABLE history (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            time text NOT NULL,
            plan_id text NOT NULL,
            address text NOT NULL,
            action text NOT NULL,
            before_json text,
            after_json text
        )
        """,
        """
        CREATE TABLE lock (
            id integer PRIMARY KEY CHECK (id = 1),
            holder text NOT NULL,
            host text NOT NULL,
            pid integer NOT NULL,
            since text NOT NULL,
            command text NOT NULL
        )
        """,
    ]
}
