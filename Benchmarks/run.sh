#!/usr/bin/env bash
# Stockyard benchmarks: wall time and peak memory of the release CLI on generated configs.
#
#   Benchmarks/run.sh [validate|plan|apply|all]        (default: all)
#
# 1. Builds the release CLI once (`swift build -c release --product stockyard`).
# 2. Generates inputs with Benchmarks/generate.py into Benchmarks/generated/ (gitignored), reusing
#    them when present: full-N/ (every connection) and base-N/ (95% of them, 1% of the warehouses
#    under their old keys).
# 3. Measures each benchmark RUNS times (default 3) with /usr/bin/time and takes the median of the
#    wall seconds, of the peak RSS and of the CPU seconds (user + sys):
#      validate   `stockyard validate --config full-N/stockyard.yaml`                N = 10k, 100k
#      plan       `stockyard plan --config … --state … --format json > /dev/null`   N = 1k, 10k, 100k
#                 against the state `stockyard apply` made from base-N (so the plan holds ~5% creates
#                 and 1% moves); against an empty state when this build has no `apply` (said in the notes)
#      apply      `stockyard apply --auto-approve` of full-10000 into an empty state, on a fresh copy of
#                 the stores each run (apply writes to the store files)       only when `apply` exists
# 4. Prints a Markdown table and merges its rows into Benchmarks/results.md (rows of benchmarks not
#    run this time are kept).
#
# Environment:
#   RUNS=3            runs per benchmark (the median is reported)
#   BENCH_NICE=10     niceness of the measured runs (`nice -n`); 0 on a quiet machine
#   SKIP_BUILD=1      use the existing .build/release/stockyard
#   STOCKYARD_BIN=…   measure this binary instead (implies SKIP_BUILD); BENCH_REV=… labels it in the notes
#   REGENERATE=1      regenerate the inputs; FRESH_STATE=1 re-applies the plan states
#
# Each sanity run (before timing) must succeed: validate with zero diagnostics, plan with exit 0 and
# zero diagnostics. The load average before each benchmark is written to the notes: these numbers are
# only comparable on the same machine under the same load.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
GEN="$HERE/generated"
RESULTS="$HERE/results.md"
RUNS="${RUNS:-3}"
NICE="${BENCH_NICE:-10}"
MODE="${1:-all}"
case "$MODE" in validate|plan|apply|all) ;; *) echo "usage: $0 [validate|plan|apply|all]" >&2; exit 64 ;; esac

TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
    echo "installing GNU time (/usr/bin/time)…" >&2
    apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

# ---- build ---------------------------------------------------------------------------------------
if [ -n "${STOCKYARD_BIN:-}" ]; then
    BIN="$STOCKYARD_BIN"
else
    BIN="$ROOT/.build/release/stockyard"
    if [ -z "${SKIP_BUILD:-}" ]; then
        echo "building release…" >&2
        (cd "$ROOT" && nice -n 10 swift build -c release --product stockyard >&2)
    fi
fi
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }

HAS_APPLY=0
if "$BIN" apply --help >/dev/null 2>&1; then HAS_APPLY=1; fi
LARGE_FLAG=()
if [ "$HAS_APPLY" = 1 ] && "$BIN" apply --help 2>&1 | grep -q -- '--allow-large-change'; then
    LARGE_FLAG=(--allow-large-change)
fi

# ---- inputs --------------------------------------------------------------------------------------
mkdir -p "$GEN"
GEN_STAMP="$(sha256sum "$HERE/generate.py" | cut -c1-16)"
generate() { # N variant
    local dir="$GEN/$2-$1"
    if [ -n "${REGENERATE:-}" ] || [ ! -f "$dir/.stamp" ] || [ "$(cat "$dir/.stamp")" != "$GEN_STAMP" ]; then
        rm -rf "$dir"
        python3 "$HERE/generate.py" --connections "$1" --out "$dir" --variant "$2" >&2
        echo "$GEN_STAMP" > "$dir/.stamp"
    fi
}

# ---- measuring -----------------------------------------------------------------------------------
SAMPLES="$GEN/samples.tsv"   # benchmark  connections  wall_s  rss_kb  target  user_s  sys_s
NOTES="$GEN/notes.txt"
: > "$SAMPLES"
: > "$NOTES"
note() { echo "$*" | tee -a "$NOTES" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# measure NAME N TARGET -- command…   (stdout of the command goes to /dev/null)
# PREP, if set, is run (untimed) before every run.
measure() {
    local name="$1" n="$2" target="$3"; shift 4
    note "- $name $n: load average before: $(load)"
    local i out
    for ((i = 1; i <= RUNS; i++)); do
        if [ -n "${PREP:-}" ]; then eval "$PREP"; fi
        out="$(mktemp)"
        if ! nice -n "$NICE" "$TIME" -f "%e %M %U %S" -o "$out" "$@" >/dev/null 2>"$out.err"; then
            echo "FAILED: $*" >&2; cat "$out.err" >&2; rm -f "$out" "$out.err"; exit 1
        fi
        read -r wall rss user sys < "$out"
        rm -f "$out" "$out.err"
        echo "  run $i: ${wall} s wall, ${user} s user + ${sys} s sys, $((rss / 1024)) MB" >&2
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$n" "$wall" "$rss" "$target" "$user" "$sys" >> "$SAMPLES"
    done
}

# Sanity: the command must exit 0 and report zero diagnostics (validate --format json / plan json).
check_clean() { # label json-file
    python3 - "$1" "$2" <<'EOF' >&2
import json, sys
label, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
diags = d.get("diagnostics", [])
if diags:
    print(f"{label}: expected zero diagnostics, got {len(diags)}, e.g. {diags[:3]}")
    sys.exit(1)
if "summary" in d:
    s = d["summary"]
    print(f"{label}: ok, plan summary " + ", ".join(f"{k} {v}" for k, v in s.items()))
else:
    print(f"{label}: ok, zero diagnostics")
EOF
}

run_validate() {
    for n in 10000 100000; do
        generate "$n" full
        local cfg="$GEN/full-$n/stockyard.yaml"
        "$BIN" validate --config "$cfg" --format json > "$GEN/validate-$n.json" || { echo "validate $n failed" >&2; exit 1; }
        check_clean "validate $n" "$GEN/validate-$n.json"
        local target="-"
        [ "$n" = 100000 ] && target="0.5 s, 150 MB"
        measure validate "$n" "$target" -- "$BIN" validate --config "$cfg"
    done
}

# A folder where base-N was applied, then the config replaced by full-N's: the stores as apply left
# them, the state of the base config, the config of the full one. Without apply: full-N, empty state.
prepare_plan_input() { # N -> sets CFG, STATE
    local n="$1"
    generate "$n" full
    if [ "$HAS_APPLY" = 0 ]; then
        CFG="$GEN/full-$n/stockyard.yaml"; STATE="$GEN/full-$n/no-state.sqlite"
        rm -f "$STATE"
        return
    fi
    generate "$n" base
    local dir="$GEN/planned-$n"
    CFG="$dir/stockyard.yaml"; STATE="$dir/state.sqlite"
    if [ -n "${FRESH_STATE:-}" ] || [ ! -f "$STATE" ] || [ "$BIN" -nt "$STATE" ] || [ "$GEN/base-$n/.stamp" -nt "$STATE" ]; then
        rm -rf "$dir"
        cp -r "$GEN/base-$n" "$dir"
        rm -f "$dir/.stamp"
        echo "preparing plan state for $n: apply base-$n…" >&2
        local t0=$SECONDS
        nice -n "$NICE" "$BIN" apply --config "$CFG" --state "$STATE" --auto-approve "${LARGE_FLAG[@]}" > "$GEN/apply-base-$n.log" 2>&1 \
            || { echo "apply of base-$n failed, see $GEN/apply-base-$n.log" >&2; tail -20 "$GEN/apply-base-$n.log" >&2; exit 1; }
        echo "  applied in $((SECONDS - t0)) s" >&2
        cp "$GEN/full-$n/stockyard.yaml" "$CFG"
    fi
}

run_plan() {
    if [ "$HAS_APPLY" = 0 ]; then
        note "- plan: this build has no \`apply\`: plans run against an EMPTY state (every object is a create)"
    else
        note "- plan: against the state \`apply\` made from the base variant (95% of connections, 1% old warehouse keys)"
    fi
    for n in 1000 10000 100000; do
        prepare_plan_input "$n"
        "$BIN" plan --config "$CFG" --state "$STATE" --format json > "$GEN/plan-$n.json" || { echo "plan $n failed" >&2; exit 1; }
        check_clean "plan $n" "$GEN/plan-$n.json"
        note "- plan $n: $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(", ".join(f"{k} {v}" for k, v in s.items()))' "$GEN/plan-$n.json")"
        local target="-"
        [ "$n" = 10000 ] && target="0.15 s"
        [ "$n" = 100000 ] && target="1.0 s, 250 MB"
        measure plan "$n" "$target" -- "$BIN" plan --config "$CFG" --state "$STATE" --format json
    done
}

run_apply() {
    if [ "$HAS_APPLY" = 0 ]; then
        note "- apply: not measured, this build has no \`apply\` command"
        return
    fi
    local n=10000
    generate "$n" full
    local dir="$GEN/apply-$n"
    PREP="rm -rf '$dir' && cp -r '$GEN/full-$n' '$dir'"
    measure apply "$n" "10 s" -- "$BIN" apply --config "$dir/stockyard.yaml" --state "$dir/state.sqlite" --auto-approve "${LARGE_FLAG[@]}"
    unset PREP
}

note "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM"
if [ -n "${STOCKYARD_BIN:-}" ]; then
    REV="${BENCH_REV:-given binary}"
else
    REV="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && git diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo ' + uncommitted changes')"
fi
note "- binary: $BIN ($REV), runs: nice -n $NICE, median of $RUNS"
note "- date: $(date -u +%Y-%m-%dT%H:%MZ)"

case "$MODE" in
    validate) run_validate ;;
    plan) run_plan ;;
    apply) run_apply ;;
    all) run_validate; run_plan; run_apply ;;
esac

# ---- table ---------------------------------------------------------------------------------------
python3 - "$SAMPLES" "$NOTES" "$RESULTS" "$MODE" "$RUNS" <<'EOF'
import re, statistics, sys
samples, notes_path, results, mode, nruns = sys.argv[1:6]
rows = {}
for line in open(samples):
    name, n, wall, rss, target, user, sys_ = line.rstrip("\n").split("\t")
    rows.setdefault((name, int(n), target), []).append((float(wall), int(rss), float(user) + float(sys_)))

def met(target, wall, mb):
    if target == "-":
        return "-"
    ok = True
    for part in target.split(","):
        value, unit = part.split()
        ok &= (wall <= float(value)) if unit == "s" else (mb <= float(value))
    return "yes" if ok else "**no**"

order = {"validate": 0, "plan": 1, "apply": 2}
new = {}
for (name, n, target), runs in rows.items():
    wall = statistics.median(w for w, _, _ in runs)
    mb = statistics.median(r for _, r, _ in runs) / 1024
    cpu = statistics.median(c for _, _, c in runs)
    spread = f"{min(w for w, _, _ in runs):.2f}–{max(w for w, _, _ in runs):.2f}"
    target_text = " and ".join(("≤ " + p.strip()) for p in target.split(",")) if target != "-" else "-"
    new[(name, n)] = f"| {name} | {n:,} | {wall:.2f} s ({spread}) | {mb:.0f} MB | {target_text} | {met(target, wall, mb)} | {cpu:.2f} s |"

head = f"| benchmark | connections | wall (median of {nruns}) | peak RSS | target | met? | CPU user+sys (median) |\n| --- | ---: | ---: | ---: | --- | --- | ---: |"
print("\n" + head)
for key in sorted(new, key=lambda k: (order[k[0]], k[1])):
    print(new[key])
print()
notes = open(notes_path).read().strip()
print(notes)

# Merge into results.md: keep rows (and their notes) of benchmarks not run this time.
old_rows, old_notes = {}, {}
try:
    text = open(results).read()
    for line in text.splitlines():
        m = re.match(r"\| (validate|plan|apply) \| ([\d,]+) \|", line)
        if m:
            old_rows[(m.group(1), int(m.group(2).replace(",", "")))] = line
    for section in re.findall(r"### (validate|plan|apply)\n(.*?)(?=\n### |\Z)", text, re.S):
        old_notes[section[0]] = section[1].strip()
except FileNotFoundError:
    pass
merged = dict(old_rows)
merged.update(new)
ran = {k[0] for k in new}
sections = dict(old_notes)
for name in ran:
    lines = [l for l in notes.splitlines() if not re.match(r"- (validate|plan|apply)\b", l)]
    lines += [l for l in notes.splitlines() if re.match(rf"- {name}\b", l)]
    sections[name] = "\n".join(lines)
with open(results, "w") as f:
    f.write("# Benchmark results\n\nWritten by `Benchmarks/run.sh` (see Benchmarks/README.md). Wall: median of the runs "
            "(min–max in brackets); peak RSS: median of the runs' maximum resident set size; CPU: user + sys seconds, "
            "less sensitive than wall time to other work on the machine (and above wall when the stores are read in parallel).\n\n")
    f.write(head + "\n")
    for key in sorted(merged, key=lambda k: (order[k[0]], k[1])):
        f.write(merged[key] + "\n")
    f.write("\n## Conditions of each run\n")
    for name in sorted(sections, key=order.get):
        f.write(f"\n### {name}\n{sections[name]}\n")
print(f"\nwritten to {results}", file=sys.stderr)
EOF
