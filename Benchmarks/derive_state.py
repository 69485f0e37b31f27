#!/usr/bin/env python3
"""Makes the SKU-heavy shape's plan state from the friendly shape's, without an apply.

    python3 Benchmarks/derive_state.py --from FRIENDLY_STATE --stores SKUS_FOLDER --out STATE
    python3 Benchmarks/derive_state.py --compare DERIVED APPLIED

The two shapes share their config (stores, warehouses, connections, renames) and differ only in
their store files: 200 SKUs a location instead of 5. So `stockyard apply` of the SKU-heavy base
config writes the same stores, warehouses, connections and history as the friendly one, and differs
only in what it took from the store files:

- stock: each warehouse's units are those of the location of its store-master connection (the
  seed), zero quantities left out;
- sync marks: each connection that has marks after the friendly apply has, after the SKU-heavy one,
  its own location's quantities as the store file lists them (zeros kept).

At 100,000 connections that apply writes 10 million stock rows and is far too slow for a run; this copies the
friendly state (itself made by `stockyard apply`) and replaces those two tables in one transaction,
with a fresh lineage, as a new state would have. `--compare` checks the rule: at 1,000 and 10,000
connections the derived state equals the applied one table by table (the history's times, plan ids
and the lineage aside, which differ between any two applies).
"""

import argparse
import json
import os
import sqlite3
import sys
import uuid


def derive(source, stores_folder, out):
    if os.path.exists(out):
        os.remove(out)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(out + suffix):
            os.remove(out + suffix)
    src = sqlite3.connect(source)
    db = sqlite3.connect(out)
    src.backup(db)
    src.close()
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    stores = dict(db.execute("SELECT key, target FROM stores"))
    seeds = {}
    for store, location, warehouse in db.execute("SELECT store, location_id, warehouse FROM connections WHERE master = 'store'"):
        seeds.setdefault(warehouse, []).append((store, location))
    marked = set(db.execute("SELECT DISTINCT store, location_id FROM sync_marks"))
    if any(len(s) != 1 for s in seeds.values()):
        sys.exit("a warehouse with more than one store-master connection: the rule does not cover this state")
    by_store = {}
    for warehouse, [(store, location)] in seeds.items():
        by_store.setdefault(store, []).append((location, warehouse))
    for store, location in marked:
        by_store.setdefault(store, [])
    db.execute("BEGIN")
    db.execute("DELETE FROM stock")
    db.execute("DELETE FROM sync_marks")
    for store in sorted(by_store):
        quantities = json.load(open(os.path.join(stores_folder, stores[store])))["quantities"]
        db.executemany("INSERT INTO stock (warehouse, sku, quantity) VALUES (?, ?, ?)",
                       ((warehouse, sku, q) for location, warehouse in by_store[store]
                        for sku, q in quantities.get(location, {}).items() if q != 0))
        db.executemany("INSERT INTO sync_marks (store, location_id, sku, quantity) VALUES (?, ?, ?, ?)",
                       ((s, location, sku, q) for s, location in sorted(marked) if s == store
                        for sku, q in quantities.get(location, {}).items()))
    db.execute("UPDATE meta SET value = ? WHERE key = 'lineage'", (str(uuid.uuid4()),))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def compare(derived, applied):
    a, b = sqlite3.connect(derived), sqlite3.connect(applied)
    same = True
    for table, columns in [("stores", "*"), ("warehouses", "*"), ("connections", "*"), ("stock", "*"), ("sync_marks", "*"),
                           ("pending_pushes", "*"), ("lock", "*"), ("grdb_migrations", "*"),
                           ("meta WHERE key <> 'lineage'", "*"), ("history", "id, address, action, before_json, after_json")]:
        rows = [sorted(db.execute(f"SELECT {columns} FROM {table}")) for db in (a, b)]
        print(f"{table.split()[0]}: {len(rows[1])} rows, {'same' if rows[0] == rows[1] else 'DIFFERENT'}")
        same = same and rows[0] == rows[1]
    return same


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="source")
    ap.add_argument("--stores", help="the folder the config's store targets are relative to")
    ap.add_argument("--out")
    ap.add_argument("--compare", nargs=2, metavar=("DERIVED", "APPLIED"))
    args = ap.parse_args()
    if args.compare:
        sys.exit(0 if compare(*args.compare) else 1)
    derive(args.source, args.stores, args.out)


if __name__ == "__main__":
    main()
