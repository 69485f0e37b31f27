#!/usr/bin/env bash
# Fuzzes one of Stockyard's readers of untrusted input with libFuzzer (and AddressSanitizer):
#   ./Fuzz/run.sh [config|plan|store] [SECONDS]      (default: config, 60)
#   ./Fuzz/run.sh 30                                 (config, 30 s: the older form)
# config: YAMLKit's parser and the config loader; plan: the saved-plan reader `apply` uses;
# store: the `file` store's reader and writer (their sources are linked into
# Fuzz/Sources/StockyardFuzz/StoreFile). Each target's corpus grows in Fuzz/corpus/TARGET (seeded
# from Fuzz/seeds/TARGET); a crashing input is saved in Fuzz/artifacts/TARGET and the script
# exits non-zero. Reproduce one with:
#   STOCKYARD_FUZZ_TARGET=plan Fuzz/.build/release/StockyardFuzz Fuzz/artifacts/plan/crash-...
set -euo pipefail

target="config"
case "${1:-}" in
    config|plan|store) target="$1"; shift ;;
esac
seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"

# C targets (the store reader's vector scan) are built with AddressSanitizer too.
swift build -c release --package-path "$here" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xcc -fsanitize=address

dict="$here/json.dict"
[ "$target" = config ] && dict="$here/yaml.dict"
mkdir -p "$here/corpus/$target" "$here/artifacts/$target"
for seed in "$here/seeds/$target"/*; do
    [ -e "$here/corpus/$target/$(basename "$seed")" ] || cp "$seed" "$here/corpus/$target/"
done

STOCKYARD_FUZZ_TARGET="$target" exec "$here/.build/release/StockyardFuzz" \
    -max_total_time="$seconds" \
    -timeout=10 \
    -dict="$dict" \
    -artifact_prefix="$here/artifacts/$target/" \
    "$here/corpus/$target"
