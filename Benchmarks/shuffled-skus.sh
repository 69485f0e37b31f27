#!/usr/bin/env bash
# The SKU-heavy plan over store files whose SKUs are in no order (as another tool, or a person,
# may write them; Stockyard writes them sorted), against the same plan over the sorted files and
# the floor, interleaved.
#
#   Benchmarks/shuffled-skus.sh N [RUNS]     (BIN=path/to/stockyard; default: the release build)
#
# Needs the SKU-heavy shape prepared at N (`SHAPES=skus Benchmarks/run.sh N`). Writes
# Benchmarks/generated/shuffled-skus-N (the same config and state, each location's SKUs shuffled),
# checks that both plans are the same bytes, and prints the medians and their ratios to the floor.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BIN="${BIN:-$here/../.build/release/stockyard}"
N="$1"
RUNS="${2:-5}"
python3 - "$here" "$BIN" "$N" "$RUNS" <<'PY'
import glob, hashlib, json, os, random, shutil, statistics, subprocess, sys, time
here, binary, n, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sorted_dir = os.path.join(here, "generated", f"planned-skus-{n}")
shuffled_dir = os.path.join(here, "generated", f"shuffled-skus-{n}")
floor = os.path.join(here, "generated", "floor")
if not os.path.exists(os.path.join(sorted_dir, "state.sqlite")) or not os.path.exists(floor):
    sys.exit(f"prepare the SKU-heavy shape at {n} first: SHAPES=skus Benchmarks/run.sh {n}")
if not os.path.isdir(shuffled_dir):
    os.makedirs(os.path.join(shuffled_dir, "stores"))
    for name in ("stockyard-skus.yaml", "state.sqlite"):
        shutil.copy(os.path.join(sorted_dir, name), shuffled_dir)
    random.seed(1)
    for path in sorted(glob.glob(os.path.join(sorted_dir, "stores", "*.json"))):
        document = json.load(open(path))
        for location, skus in (document.get("quantities") or {}).items():
            items = list(skus.items())
            random.shuffle(items)
            document["quantities"][location] = dict(items)
        out = os.path.join(shuffled_dir, "stores", os.path.basename(path))
        open(out, "w").write(json.dumps(document, indent=1) + "\n")
        os.utime(out, (time.time() - 60, time.time() - 60))  # settled: a plan reads it ahead
env = dict(os.environ, STOCKYARD_TODAY="2026-06-01", NO_COLOR="1")
plan = [binary, "plan", "--config", "stockyard-skus.yaml", "--state", "state.sqlite", "--format", "json"]
outputs = [hashlib.sha256(subprocess.run(plan, cwd=d, env=env, capture_output=True).stdout).hexdigest() for d in (sorted_dir, shuffled_dir)]
if outputs[0] != outputs[1]:
    sys.exit("the plans over sorted and shuffled SKUs differ")
def run(argv, cwd):
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started
times = {"floor": [], "plan, SKUs sorted": [], "plan, SKUs shuffled": []}
for _ in range(runs):
    times["floor"].append(run([floor, "stockyard-skus.yaml"], sorted_dir))
    times["plan, SKUs sorted"].append(run(plan, sorted_dir))
    times["plan, SKUs shuffled"].append(run(plan, shuffled_dir))
base = statistics.median(times["floor"])
for name, values in times.items():
    print(f"{name:22s} {statistics.median(values):.3f} s  {statistics.median(values) / base:.2f}x the floor")
PY
