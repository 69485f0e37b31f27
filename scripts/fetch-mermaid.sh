#!/usr/bin/env bash
# Puts mermaid.js where the Mermaid rendering tests look for it (.build/tools/mermaid-11.16.0/).
#
# npm is out of reach here, so it comes from PyPI: the package artoo-mermaid 11.16.0 ships the
# pinned mermaid.min.js of Mermaid 11.16.0 (MIT). pip downloads the wheel (pure Python; it declares
# Python 3.12, hence --python-version, though only the JavaScript file is used), and the file's
# sha256 is checked against the one Mermaid's 11.16.0 release has.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=.build/tools/mermaid-11.16.0
want=74d7c46dabca328c2294733910a8aa1ed0c37451776e8d5295da38a2b758fb9b

if [ -f "$dest/mermaid.min.js" ] && echo "$want  $dest/mermaid.min.js" | sha256sum --check --status; then
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 artoo-mermaid==11.16.0 -d "$tmp"
python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("artoo_mermaid/assets/mermaid.min.js"))' \
    "$tmp"/artoo_mermaid-11.16.0-py3-none-any.whl "$tmp/mermaid.min.js"
echo "$want  $tmp/mermaid.min.js" | sha256sum --check --status || { echo "mermaid.min.js does not have the expected sha256" >&2; exit 1; }
mkdir -p "$dest"
mv "$tmp/mermaid.min.js" "$dest/mermaid.min.js"
echo "mermaid.js 11.16.0 is in $dest"
