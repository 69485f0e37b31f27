#!/usr/bin/env bash
# Fuzzes YAMLKit's parser with libFuzzer (and AddressSanitizer) for SECONDS, default 60:
#   ./Fuzz/run.sh 30
# The corpus grows in Fuzz/corpus (seeded from Fuzz/seeds); a crashing input is saved in
# Fuzz/artifacts and the script exits non-zero. Reproduce one with:
#   Fuzz/.build/release/StockyardFuzz Fuzz/artifacts/crash-...
set -euo pipefail

seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"

swift build -c release --package-path "$here" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library

mkdir -p "$here/corpus" "$here/artifacts"
for seed in "$here"/seeds/*.yaml; do
    [ -e "$here/corpus/$(basename "$seed")" ] || cp "$seed" "$here/corpus/"
done

exec "$here/.build/release/StockyardFuzz" \
    -max_total_time="$seconds" \
    -timeout=10 \
    -dict="$here/yaml.dict" \
    -artifact_prefix="$here/artifacts/" \
    "$here/corpus"
