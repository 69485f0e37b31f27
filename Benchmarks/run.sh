#!/usr/bin/env bash
# Stockyard benchmarks: every workload shape, against the libyaml floor measured in the same run.
#
#   Benchmarks/run.sh [SIZE…]            (default: 1000 10000 100000)
#
# 1. Builds the release CLI (`swift build -c release --product stockyard`) and the floor
#    (Benchmarks/floor.c: libyaml's event parse of the config and nothing else).
# 2. Runs Benchmarks/suite.py: generates each shape's inputs (Benchmarks/generate.py, into
#    Benchmarks/generated/, gitignored), prepares each plan state with `stockyard apply`, then
#    times floor, validate (text and JSON) and plan (JSON) interleaved, RUNS times each, and
#    writes the medians and the ratios to the floor into Benchmarks/results.md.
#
# Environment:
#   RUNS=5            runs per command (the median is reported)
#   SHAPES="…"        a subset of: friendly diagnostics changes skus big-stores small-stores first-plan
#   BENCH_NICE=0      niceness of the measured runs
#   SKIP_BUILD=1      use the existing .build/release/stockyard
#   STOCKYARD_BIN=…   measure this binary instead (implies SKIP_BUILD); BENCH_REV=… labels it
#   FRESH_STATE=1     apply the base configs again
#   VALIDATE_ONLY=1   time floor and validate only, preparing no plan state
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
GEN="$HERE/generated"
mkdir -p "$GEN"

if [ -n "${STOCKYARD_BIN:-}" ]; then
    BIN="$STOCKYARD_BIN"
    REV="${BENCH_REV:-given binary}"
else
    BIN="$ROOT/.build/release/stockyard"
    if [ -z "${SKIP_BUILD:-}" ]; then
        echo "building release…" >&2
        (cd "$ROOT" && swift build -c release --product stockyard >&2)
    fi
    REV="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && git diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo ' + uncommitted changes')"
fi
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }

FLOOR="$GEN/floor"
cc -O2 -o "$FLOOR" "$HERE/floor.c" $(pkg-config --cflags --libs yaml-0.1)

ARGS=(--bin "$BIN" --floor "$FLOOR" --runs "${RUNS:-5}" --nice "${BENCH_NICE:-0}" --rev "$REV")
[ -n "${SHAPES:-}" ] && ARGS+=(--shapes $SHAPES)
[ "$#" -gt 0 ] && ARGS+=(--sizes "$@")
[ -n "${FRESH_STATE:-}" ] && ARGS+=(--fresh-state)
[ -n "${VALIDATE_ONLY:-}" ] && ARGS+=(--validate-only)
exec python3 "$HERE/suite.py" "${ARGS[@]}"
