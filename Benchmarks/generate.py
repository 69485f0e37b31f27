#!/usr/bin/env python3
"""Generate a large Stockyard config plus its `file` stores, in one of several workload shapes.

    python3 Benchmarks/generate.py --connections N --out DIR [--shape SHAPE] [--variant full|base]

Writes DIR/stockyard.yaml and DIR/stores/*.json. Python 3 standard library only; the output is
deterministic (same arguments, same bytes). The store files of `full` and `base` are the same.

Shapes (N connections each):

* `friendly`: stores of 1,000 locations (one store of N when N < 1000), 5 SKUs a location; `base`
  holds 95% of each store's locations and 1% of the warehouses under old keys, so a plan of `full`
  against a state applied from `base` has ~5% creates and 1% moves. No diagnostics.
* `diagnostics`: the friendly topology and stores (plan it against friendly's state), with a
  warning on every tenth connection (the seed of every fifth pair without `testing_until`, so
  `own-on-store-master`, or with a trial that ended, `store-master-trial-ended`) and errors on
  0.2% of them (a warehouse key with a typo, `undefined-warehouse` with a did-you-mean; a second
  store master into one warehouse, `two-store-masters`).
* `changes`: the friendly topology; `base` holds every location, 10% of the warehouses under old
  keys, 5% of them under old names, and the masters of 7.5% of the pairs the other way round;
  `full` drops the last 5% of each store's locations. So the plan has about 10% updates (master
  switches at 7.5% of the connections, which move numbers; warehouse names), 10% warehouse
  renames (`formerly:`, moves), and 5% of the connections deleted with their warehouses.
* `skus`: friendly with 200 SKUs per location, so every impact carries real numbers.
* `big-stores`: friendly with 10 stores of N/10 locations.
* `small-stores`: friendly with stores of 10 locations (N/10 stores).

Topology, common to all shapes: one warehouse per *pair* of locations. Stores are paired
(s0001+s0002, ...): location j of the first and of the second store link to one warehouse
w{NNNNNN}, one building with one address; an odd store out pairs its own locations. The first of
a pair is `master: store` with `testing_until: 2099-12-31` (the seed), the second `master:
stockyard`. Every 50th pair is a 3PL: its first location (a fulfillment-service location) links to
a `kind: 3pl` warehouse on store master, alone; its second links to an own overflow warehouse
x{NNNNNN}, seeded by it. So W = N/2 + N/100. Every 10th connection pins its location by `id:`.
`lint: ignore: [store-master-shared]`: every seeded pair is what that rule warns about.

The store files hold the numbers as `apply` of `base` leaves them: the two locations of a pair
that `base` links show the same numbers (the seed's, which apply pulled into the warehouse and
pushed to its partner); locations `base` does not link have numbers of their own.
"""

import argparse
import json
import os
import random
import sys

SHAPES = ["friendly", "diagnostics", "changes", "skus", "big-stores", "small-stores"]
FEW_SKUS = ["SKU-TEE-S", "SKU-TEE-M", "SKU-TEE-L", "SKU-MUG", "SKU-CAP"]
MANY_SKUS = [f"SKU-{i:05d}" for i in range(1, 201)]
THIRD_PARTY_EVERY = 50
TRIAL_END = "2099-12-31"
TRIAL_ENDED = "2020-01-31"
PIN_EVERY = 10


def layout(n, shape):
    """(number of stores, locations per store)."""
    if shape == "big-stores":
        if n % 10:
            sys.exit("--connections must be a multiple of 10 for big-stores")
        return 10, n // 10
    if shape == "small-stores":
        if n % 10:
            sys.exit("--connections must be a multiple of 10 for small-stores")
        return n // 10, 10
    if n < 1000:
        return 1, n
    if n % 1000:
        sys.exit(f"--connections must be below 1000 or a multiple of 1000, not {n}")
    return n // 1000, 1000


class Rules:
    """What the shape and variant change about the friendly topology."""

    def __init__(self, shape, variant):
        self.shape, self.variant = shape, variant
        self.base = variant == "base"

    def kept(self, per_store):
        """Locations of each store the config links (the rest are in the store files only)."""
        if self.shape == "changes":
            return per_store if self.base else per_store - per_store // 20
        return int(per_store * 0.95) if self.base else per_store

    def linked_in_base(self, per_store):
        return per_store if self.shape == "changes" else int(per_store * 0.95)

    def warehouse_key(self, index):
        """(key, formerly) of the pair's warehouse."""
        key = f"w{index:06d}"
        renamed = index % 10 == 5 if self.shape == "changes" else index % 100 == 25
        if not renamed:
            return key, []
        return (f"old-{key}", []) if self.base else (key, [f"old-{key}"])

    def warehouse_name(self, index):
        if self.shape == "changes" and self.base and index % 20 == 11:
            return f"Old Warehouse {index:06d}"
        return f"Warehouse {index:06d}"

    def swapped(self, index):
        """The pair's masters the other way round (its second location seeds the warehouse)."""
        return self.shape == "changes" and self.base and index % 40 in (7, 17, 27)


def build(n, rules):
    stores_count, per_store = layout(n, rules.shape)
    links = [[None] * per_store for _ in range(stores_count)]
    warehouses = []  # (key, code, name, kind, formerly)
    counter = 0

    def pair(first, second):
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
            key, formerly = rules.warehouse_key(index)
            warehouses.append((key, f"T{index:06d}", f"3PL Partner {index:06d}", "3pl", formerly))
            extra = f"x{index:06d}"
            warehouses.append((extra, f"X{index:06d}", f"Overflow Store {index:06d}", "own", []))
            s, j = first
            links[s][j] = dict(pair=index, seed=True, warehouse=key, master="store", trial=False, address=address, fs=True, alone=True)
            s, j = second
            own_address = dict(address, address1=f"Unit {index}, Overflow Yard", zip=f"ZX{index:06d}")
            links[s][j] = dict(pair=index, seed=False, warehouse=extra, master="store", trial=True, address=own_address, fs=False, alone=True)
        else:
            key, formerly = rules.warehouse_key(index)
            warehouses.append((key, f"W{index:06d}", rules.warehouse_name(index), "own", formerly))
            seed, partner = (second, first) if rules.swapped(index) else (first, second)
            s, j = seed
            links[s][j] = dict(pair=index, seed=True, warehouse=key, master="store", trial=True, address=address, fs=False)
            s, j = partner
            links[s][j] = dict(pair=index, seed=False, warehouse=key, master="stockyard", trial=False, address=address, fs=False)

    for p in range(stores_count // 2):
        for j in range(per_store):
            pair((2 * p, j), (2 * p + 1, j))
    if stores_count % 2:
        s = stores_count - 1
        for j in range(0, per_store - 1, 2):
            pair((s, j), (s, j + 1))
        if per_store % 2:  # odd count: the last location gets its own warehouse, seeded by it
            counter += 1
            key, formerly = rules.warehouse_key(counter)
            warehouses.append((key, f"W{counter:06d}", rules.warehouse_name(counter), "own", formerly))
            links[s][per_store - 1] = dict(
                pair=counter, seed=True, warehouse=key, master="store", trial=True, fs=False, alone=True,
                address={"address1": f"Unit {counter}, Commerce Park", "city": "Solo", "zip": f"ZP{counter:06d}", "country_code": "GB"})

    keep = rules.kept(per_store)
    used = {links[s][j]["warehouse"] for s in range(stores_count) for j in range(keep)}
    warehouses = [w for w in warehouses if w[0] in used]
    return stores_count, per_store, keep, links, warehouses


def location_id(s, j):
    return f"s{s + 1:04d}-loc-{j + 1:05d}"


def location_name(j):
    return f"Location {j + 1:05d}"


def store_key(s):
    return f"s{s + 1:04d}"


def diagnostic_edit(link, j, per_store):
    """For the diagnostics shape: what to change about this connection, if anything.
    A warning at every fifth seed (one connection in ten); an error at two connections in 1,000."""
    pair = link["pair"]
    if link["seed"] and not link["fs"] and not link.get("alone") and pair % 5 == 3:
        return "no-trial" if (pair // 5) % 2 == 0 else "trial-ended"
    if not link["seed"] and not link.get("alone"):
        if pair % 1000 == 777:
            return "typo"
        if pair % 1000 == 333:
            return "second-store-master"
    return None


def write_yaml(path, n, rules, stores_count, per_store, keep, links, warehouses):
    out = []
    w = out.append
    w("# Generated by Benchmarks/generate.py --connections %d --shape %s --variant %s: do not edit.\n"
      % (n, rules.shape, rules.variant))
    w("version: 1\n\ndefaults:\n  master: stockyard\n\n")
    w("lint:\n  ignore: [store-master-shared]\n\n")
    w("warehouses:\n")
    for key, code, name, kind, formerly in warehouses:
        w(f"  {key}:\n    name: {name}\n    code: {code}\n    kind: {kind}\n")
        if formerly:
            w(f"    formerly: [{', '.join(formerly)}]\n")
    w("\nstores:\n")
    ignore_unmanaged = keep < per_store
    for s in range(stores_count):
        w(f"  {store_key(s)}:\n    platform: file\n    path: stores/{store_key(s)}.json\n")
        if ignore_unmanaged:
            w("    unmanaged_locations: ignore   # the rest of the store's locations are not linked here\n")
        w("    locations:\n")
        for j in range(keep):
            link = links[s][j]
            edit = diagnostic_edit(link, j, per_store) if rules.shape == "diagnostics" else None
            warehouse, master, trial = link["warehouse"], link["master"], TRIAL_END if link["trial"] else None
            if edit == "no-trial":
                trial = None
            elif edit == "trial-ended":
                trial = TRIAL_ENDED
            elif edit == "typo":
                warehouse = warehouse[:-1] + "q"
            elif edit == "second-store-master":
                master = "store"
            w(f"      {location_name(j)}:\n")
            if j % PIN_EVERY == PIN_EVERY - 1:
                w(f"        id: {location_id(s, j)}\n")
            w(f"        warehouse: {warehouse}\n        master: {master}\n")
            if trial:
                w(f"        testing_until: {trial}\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(out))


def write_stores(folder, rules, stores_count, per_store, links):
    skus = MANY_SKUS if rules.shape == "skus" else FEW_SKUS
    in_base = rules.linked_in_base(per_store)
    # The numbers of each pair's seed, which apply of base pulled into the warehouse and pushed to its partner.
    seed_numbers = {}

    def numbers(rng):
        return {sku: rng.randrange(0, 500) for sku in skus}

    for s in range(stores_count):
        for j in range(per_store):
            link = links[s][j]
            if link["seed"]:
                seed_numbers[link["pair"]] = numbers(random.Random(link["pair"] * 7919 + 17))
    for s in range(stores_count):
        rng = random.Random(s * 7919 + per_store)
        locations, quantities = [], {}
        for j in range(per_store):
            link = links[s][j]
            lid = location_id(s, j)
            locations.append({
                "id": lid, "name": location_name(j), "active": True, "fulfillment_service": link["fs"],
                "address": link["address"],
            })
            if j < in_base and not link.get("alone") and not link["fs"]:
                quantities[lid] = dict(seed_numbers[link["pair"]])
            else:
                quantities[lid] = numbers(rng)
        text = json.dumps({"locations": locations, "quantities": quantities}, indent=1)
        with open(os.path.join(folder, f"{store_key(s)}.json"), "w", encoding="utf-8") as f:
            f.write(text + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--connections", type=int, required=True, help="N: 1..999, or a multiple of 1000")
    ap.add_argument("--out", required=True, help="output folder (created)")
    ap.add_argument("--shape", choices=SHAPES, default="friendly")
    ap.add_argument("--variant", choices=["full", "base"], default="full")
    ap.add_argument("--no-stores", action="store_true", help="write only stockyard.yaml")
    args = ap.parse_args()
    if args.connections < 20:
        sys.exit("--connections must be at least 20")
    rules = Rules(args.shape, args.variant)
    stores_count, per_store, keep, links, warehouses = build(args.connections, rules)
    os.makedirs(os.path.join(args.out, "stores"), exist_ok=True)
    write_yaml(os.path.join(args.out, "stockyard.yaml"), args.connections, rules,
               stores_count, per_store, keep, links, warehouses)
    if not args.no_stores:
        write_stores(os.path.join(args.out, "stores"), rules, stores_count, per_store, links)
    print(f"{args.out}: {args.shape} {args.variant}: {stores_count} store(s) x {keep} of {per_store} locations = "
          f"{stores_count * keep} connections, {len(warehouses)} warehouses", file=sys.stderr)


if __name__ == "__main__":
    main()
