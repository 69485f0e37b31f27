#!/usr/bin/env bash
# sync --once over `file` stores: N connections (the SKU-heavy shape cut to 50 SKUs a location),
# applied, then a sync with nothing changed, then one after 1% of the levels dropped by one.
#
#   Benchmarks/sync-file-stores.sh N [WORKDIR]     (BIN=path/to/stockyard; default: the release build)
#
# Prints wall time and peak memory (GNU time) of each step and sync's own summary lines.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BIN="${BIN:-$here/../.build/release/stockyard}"
N="$1"
D="${2:-$here/generated/sync-files-$N}"
rm -rf "$D"
python3 - "$here" "$N" "$D" <<'PY'
import sys
here, n, out = sys.argv[1:4]
sys.path.insert(0, here)
import generate
generate.MANY_SKUS = generate.MANY_SKUS[:50]
sys.argv = ["generate.py", "--connections", n, "--out", out, "--shape", "skus", "--variant", "full"]
generate.main()
PY
cd "$D"
/usr/bin/time -f "apply: %e s wall, %M KB peak" "$BIN" apply --config stockyard.yaml --auto-approve >/dev/null 2>apply.err || true
tail -1 apply.err
/usr/bin/time -f "sync, nothing changed: %e s wall, %M KB peak" "$BIN" sync --once --config stockyard.yaml >/dev/null 2>sync1.err || true
tail -2 sync1.err
python3 - <<'PY'
import glob, json, random
random.seed(7)
for path in sorted(glob.glob("stores/*.json")):
    doc = json.load(open(path))
    for levels in doc["quantities"].values():
        for sku in levels:
            if random.random() < 0.01 and levels[sku] > 0:
                levels[sku] -= 1
    json.dump(doc, open(path, "w"), indent=2, sort_keys=True)
PY
/usr/bin/time -f "sync, 1%% of levels sold: %e s wall, %M KB peak" "$BIN" sync --once --config stockyard.yaml >/dev/null 2>sync2.err || true
tail -3 sync2.err
