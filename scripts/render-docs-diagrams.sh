#!/usr/bin/env bash
# Draws the README's pictures from the demo: the plan comment's diagram as GitHub shows it
# (mermaid.js in headless Chromium) and `stockyard graph --format dot` through Graphviz.
# Needs Debian's chromium and graphviz, and scripts/fetch-mermaid.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/fetch-mermaid.sh >/dev/null
swift build --product stockyard >/dev/null
bin=$(swift build --show-bin-path)/stockyard
export STOCKYARD_TODAY=2026-06-01 NO_COLOR=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp .build/tools/mermaid-11.16.0/mermaid.min.js "$tmp/"

# The diagram inside the demo's plan comment.
"$bin" plan --config examples/demo/stockyard.yaml --format markdown >"$tmp/plan.md"
python3 - "$tmp/plan.md" "$tmp/page.html" <<'PY'
import html, sys
text = open(sys.argv[1], encoding="utf-8").read()
start = text.index("```mermaid\n") + len("```mermaid\n")
diagram = text[start:text.index("```", start)]
page = """<!doctype html><html><head><meta charset="utf-8"><script src="mermaid.min.js"></script>
<style>body { margin: 0; background: #fff; } #d { display: inline-block; padding: 16px; }</style></head>
<body><div id="d"><pre class="mermaid">%s</pre></div><pre id="size"></pre>
<script>
mermaid.initialize({ startOnLoad: false, theme: "default", flowchart: { useMaxWidth: false } });
mermaid.run().then(() => {
  const box = document.getElementById("d").getBoundingClientRect();
  document.getElementById("size").textContent = "SIZE:" + Math.ceil(box.width) + "," + Math.ceil(box.height) + ":END";
});
</script></body></html>""" % html.escape(diagram)
open(sys.argv[2], "w", encoding="utf-8").write(page)
PY
chrome() { chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars --force-device-scale-factor=1 \
    --user-data-dir="$tmp/profile" --virtual-time-budget=10000 "$@" 2>/dev/null; }
# First the drawing's size, then a screenshot of exactly that.
size=$(chrome --dump-dom "file://$tmp/page.html" | sed -n 's/.*SIZE:\([0-9]*,[0-9]*\):END.*/\1/p')
chrome --window-size="$size" --screenshot="$PWD/docs/demo-plan-diagram.png" "file://$tmp/page.html"

# The whole topology, through Graphviz.
"$bin" graph --config examples/demo/stockyard.yaml --format dot | dot -Tpng -Gdpi=80 -o docs/demo-topology.png
echo "docs/demo-plan-diagram.png and docs/demo-topology.png drawn"
