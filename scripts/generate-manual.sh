#!/usr/bin/env bash
# Writes the man page of a built stockyard binary: scripts/generate-manual.sh BINARY OUTPUT_DIR
#
# It runs `generate-manual`, the tool behind swift-argument-parser's `swift package generate-manual`
# plugin, on the given binary (which it asks for `--experimental-dump-help`). The plugin itself would
# first rebuild every product of the package in its own configuration, replacing the release binary
# with a dynamically linked one; building only its tool and pointing it at our binary gives the same
# page. The tool builds, offline, from a copy of the package's checkout of swift-argument-parser (a
# copy, so that the build leaves the checkout as SwiftPM made it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: scripts/generate-manual.sh BINARY OUTPUT_DIR" >&2; exit 64; }
binary="$1" output="$2"

swift package resolve >/dev/null
checkout=".build/checkouts/swift-argument-parser"
[ -f "$checkout/Package.swift" ] || { echo "generate-manual: $checkout is missing after swift package resolve" >&2; exit 1; }
source="$PWD/.build/generate-manual/source"
rm -rf "$source" && mkdir -p "$(dirname "$source")" && cp -a "$checkout" "$source"
build=(swift build --package-path "$source" --scratch-path "$PWD/.build/generate-manual/build" --product generate-manual)
log="$PWD/.build/generate-manual/build.log"
"${build[@]}" > "$log" 2>&1 || { cat "$log" >&2; echo "generate-manual: building the tool failed" >&2; exit 1; }
tool="$("${build[@]}" --show-bin-path)/generate-manual"

# The commit's date, not today's: the same commit gives the same page.
date="$(git log -1 --format=%cs HEAD 2>/dev/null || date -u +%F)"
mkdir -p "$output"
"$tool" "$binary" --date "$date" --section 1 --output-directory "$output"
[ -s "$output/stockyard.1" ] || { echo "generate-manual: no $output/stockyard.1 was written" >&2; exit 1; }
