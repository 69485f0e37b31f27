#!/usr/bin/env python3
"""Generate a large, valid Stockyard config plus its `file` stores, for the benchmarks.

    python3 Benchmarks/generate.py --connections N --out DIR [--variant full|base]

Writes DIR/stockyard.yaml and DIR/stores/sNNN.json. Python 3 standard library only; the
output is deterministic (same arguments, same bytes).

Topology (N connections):

* Stores: N/1000 stores of 1,000 locations each (s001, s002, ...); for N < 1000, one store with N
  locations. Every store is a `platform: file` store whose JSON holds all its locations (active,
  one address each) and 5 SKUs of stock per location.
* Warehouses: one warehouse per *pair* of locations, so about N/2 of them. Stores are paired
  (s001+s002, s003+s004, ...): location j of the first store and location j of the second link
  to one warehouse w{NNNNNN}. An odd store out (and the single store when N < 2000) pairs its own
  locations 2j and 2j+1. Both locations of a pair share one address (one building), so the
  `shared-address` check has nothing to say.
* Masters: the first location of a pair is `master: store` with `testing_until: 2099-12-31` (the
  seed, a dated trial), the second is `master: stockyard`. Never two store masters in one warehouse.
* 3PLs: every 50th pair is a 3PL: its first location (a fulfillment-service location) links to a
  `kind: 3pl` warehouse on store master, alone; its second location links to an extra own
  warehouse x{NNNNNN} (seeded by it, with a dated trial) and has an address of its own. So
  W = N/2 + N/100.
* Every 10th connection pins its location by `id:`; the rest match by name ("Location 0001").

Variants (for benchmarking `plan` against a realistic, non-empty state):

* `full` (default): every connection. Warehouses numbered 25 mod 100 (1% of them) carry
  `formerly: [old-wNNNNNN]`.
* `base`: what the hub looked like before — the last 5% of each store's locations are not in the
  config yet (their warehouses neither), and the 1% renamed warehouses still have their old keys
  (`old-wNNNNNN`). Stores say `unmanaged_locations: ignore`, because the store files already hold
  the locations the config does not mention yet.

So `plan` of `full` against a state applied from `base` shows ~5% creates and 1% moves.
The generated config validates with zero errors and zero warnings (`lint.ignore` silences
`store-master-shared`, which every seeded pair would otherwise raise).
"""

import argparse
import json
import os
import random
import sys

SKUS = ["SKU-TEE-S", "SKU-TEE-M", "SKU-TEE-L", "SKU-MUG", "SKU-CAP"]
THIRD_PARTY_EVERY = 50
RENAME_MOD, RENAME_AT = 100, 25
BASE_KEEP = 0.95
TRIAL_END = "2099-12-31"
PIN_EVERY = 10


def layout(n):
    """(number of stores, locations per store)."""
    if n < 1000:
        return 1, n
    if n % 1000:
        sys.exit(f"--connections must be below 1000 or a multiple of 1000, not {n}")
    return n // 1000, 1000


def build(n, variant):
    stores_count, per_store = layout(n)
    keep = int(per_store * BASE_KEEP) if variant == "base" else per_store
    # Store locations: stores[s][j] = dict(loc, warehouse, master, trial, address, fs)
    links = [[None] * per_store for _ in range(stores_count)]
    warehouses = []  # (index, key, code, name, kind, formerly)

    def warehouse_key(index, prefix="w"):
        key = f"{prefix}{index:06d}"
        if prefix == "w" and index % RENAME_MOD == RENAME_AT:
            return (f"old-{key}", []) if variant == "base" else (key, [f"old-{key}"])
        return key, []

    counter = 0

    def pair(first, second):
        """first/second = (store index, location index)."""
        nonlocal counter
        counter += 1
        index = counter
        address = {
            "address1": f"Unit {index}, Commerce Park",
            "city": f"Town {index % 997:03d}",
            "zip": f"ZP{index:06d}",
            "country_code": "GB",
        }
        if index % THIRD_PARTY_EVERY == 0:
            key, formerly = warehouse_key(index)
            warehouses.append((key, f"T{index:06d}", f"3PL Partner {index:06d}", "3pl", formerly))
            extra, _ = warehouse_key(index, "x")
            warehouses.append((extra, f"X{index:06d}", f"Overflow Store {index:06d}", "own", []))
            s, j = first
            links[s][j] = dict(warehouse=key, master="store", trial=False, address=address, fs=True)
            s, j = second
            own_address = dict(address, address1=f"Unit {index}, Overflow Yard", zip=f"ZX{index:06d}")
            links[s][j] = dict(warehouse=extra, master="store", trial=True, address=own_address, fs=False)
        else:
            key, formerly = warehouse_key(index)
            warehouses.append((key, f"W{index:06d}", f"Warehouse {index:06d}", "own", formerly))
            s, j = first
            links[s][j] = dict(warehouse=key, master="store", trial=True, address=address, fs=False)
            s, j = second
            links[s][j] = dict(warehouse=key, master="stockyard", trial=False, address=address, fs=False)

    for p in range(stores_count // 2):
        for j in range(per_store):
            pair((2 * p, j), (2 * p + 1, j))
    if stores_count % 2:
        s = stores_count - 1
        for j in range(0, per_store - 1, 2):
            pair((s, j), (s, j + 1))
        if per_store % 2:  # odd count: the last location gets its own warehouse, seeded by it
            counter += 1
            key, formerly = warehouse_key(counter)
            warehouses.append((key, f"W{counter:06d}", f"Warehouse {counter:06d}", "own", formerly))
            links[s][per_store - 1] = dict(
                warehouse=key, master="store", trial=True, fs=False,
                address={"address1": f"Unit {counter}, Commerce Park", "city": "Solo", "zip": f"ZP{counter:06d}", "country_code": "GB"})

    # Keep only warehouses something in the config links to (the base variant drops the tail).
    used = {links[s][j]["warehouse"] for s in range(stores_count) for j in range(keep)}
    warehouses = [w for w in warehouses if w[0] in used]
    return stores_count, per_store, keep, links, warehouses


def location_id(s, j):
    return f"s{s + 1:03d}-loc-{j + 1:04d}"


def location_name(j):
    return f"Location {j + 1:04d}"


def write_yaml(path, n, variant, stores_count, per_store, keep, links, warehouses):
    out = []
    w = out.append
    w("# Generated by Benchmarks/generate.py --connections %d --variant %s: do not edit.\n" % (n, variant))
    w("version: 1\n\ndefaults:\n  master: stockyard\n\n")
    # Each pair is mid-migration on purpose (the seed on store master, its partner on stockyard
    # master), which `store-master-shared` warns about: silenced, so the config stays warning-free.
    w("lint:\n  ignore: [store-master-shared]\n\n")
    w("warehouses:\n")
    for key, code, name, kind, formerly in warehouses:
        w(f"  {key}:\n    name: {name}\n    code: {code}\n    kind: {kind}\n")
        if formerly:
            w(f"    formerly: [{', '.join(formerly)}]\n")
    w("\nstores:\n")
    for s in range(stores_count):
        w(f"  s{s + 1:03d}:\n    platform: file\n    path: stores/s{s + 1:03d}.json\n")
        if variant == "base":
            w("    unmanaged_locations: ignore   # the tail of the store is not in the config yet\n")
        w("    locations:\n")
        for j in range(keep):
            link = links[s][j]
            w(f"      {location_name(j)}:\n")
            if j % PIN_EVERY == PIN_EVERY - 1:
                w(f"        id: {location_id(s, j)}\n")
            w(f"        warehouse: {link['warehouse']}\n        master: {link['master']}\n")
            if link["trial"]:
                w(f"        testing_until: {TRIAL_END}\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(out))


def write_store(path, s, per_store, links):
    rng = random.Random(s * 7919 + per_store)
    locations, quantities = [], {}
    for j in range(per_store):
        link = links[s][j]
        lid = location_id(s, j)
        locations.append({
            "id": lid, "name": location_name(j), "active": True, "fulfillment_service": link["fs"],
            "address": link["address"],
        })
        quantities[lid] = {sku: rng.randrange(0, 500) for sku in SKUS}
    text = json.dumps({"locations": locations, "quantities": quantities}, indent=1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--connections", type=int, required=True, help="N: 1..999, or a multiple of 1000")
    ap.add_argument("--out", required=True, help="output folder (created)")
    ap.add_argument("--variant", choices=["full", "base"], default="full")
    args = ap.parse_args()
    if args.connections < 2:
        sys.exit("--connections must be at least 2")
    stores_count, per_store, keep, links, warehouses = build(args.connections, args.variant)
    os.makedirs(os.path.join(args.out, "stores"), exist_ok=True)
    write_yaml(os.path.join(args.out, "stockyard.yaml"), args.connections, args.variant,
               stores_count, per_store, keep, links, warehouses)
    for s in range(stores_count):
        write_store(os.path.join(args.out, "stores", f"s{s + 1:03d}.json"), s, per_store, links)
    connections = stores_count * keep
    print(f"{args.out}: {stores_count} store(s) x {keep} of {per_store} locations = {connections} connections, "
          f"{len(warehouses)} warehouses ({args.variant})")


if __name__ == "__main__":
    main()
