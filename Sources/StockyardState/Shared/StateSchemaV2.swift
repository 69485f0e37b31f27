/// Version 2 of the state's tables, written once for both databases: the read marks of sync.
///
/// One row per linked location: when its last read began (`read_through_ms`) and when its last
/// full read began (`full_read_at_ms`), as whole milliseconds since 1970 (exact in both
/// databases, and compared as numbers). A read mark goes with its connection (ON DELETE CASCADE):
/// a location linked again is read in full.
enum StateSchemaV2 {
    static func statements(_ d: StateSchemaV1.Dialect) -> [String] {
        [
            """
            CREATE TABLE read_marks (
                store \(d.text) NOT NULL, location_id \(d.text) NOT NULL,
                read_through_ms \(d.integer) NOT NULL, full_read_at_ms \(d.integer) NOT NULL,
                PRIMARY KEY (store, location_id),
                FOREIGN KEY (store, location_id) REFERENCES connections (store, location_id) ON UPDATE CASCADE ON DELETE CASCADE
            )\(d.keyedTable)
            """
        ]
    }
}
