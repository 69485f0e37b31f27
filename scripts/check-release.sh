#!/usr/bin/env bash
# Builds the release with scripts/release.sh and checks it the way a user would meet it:
#
#   scripts/check-release.sh
#
# 1. dist/SHA256SUMS verifies the tarball, which holds the binary, README, completions, man page.
# 2. `ldd` lists only glibc's libraries and libgcc_s (which glibc loads itself to unwind a thread).
# 3. In a root that holds nothing but the binary, the libraries ldd lists and a copy of the demo (no Swift
#    toolchain, no libyaml, no SQLite, no shell), `validate`, `plan` and `apply` of the demo work,
#    and a second plan finds nothing left to do; a plan of a Shopify store (a one-location Admin API
#    on loopback) sends the GraphQL documents compiled into the binary.
# 4. The install step of action.yml, run against a local copy of the release, installs it; a
#    tarball that does not match SHA256SUMS is refused. The GitLab recipe's install lines likewise.
# 5. The Dockerfile's build stage, run on this machine, produces the binary its image copies.
#
# Needs root (a mount namespace and chroot for 3), python3 with PyYAML, curl. A release build from a
# clean clone takes about 40 minutes on 2 cores shared with other builds, so this is not part of
# `swift test`; see the README.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "check-release: needs root (unshare --mount, chroot)" >&2; exit 1; }
# A release is built from a commit, and so is the Dockerfile's (it copies the checkout with .git).
[ -z "$(git status --porcelain --untracked-files=no)" ] || { echo "check-release: commit your changes first: a release is built from a commit" >&2; exit 1; }

version="$(sed -n 's/^ *public static let current = "\(.*\)"$/\1/p' Sources/StockyardEngine/Plan/Plan.swift)"
platform="linux-$(uname -m)"
tarball="stockyard-$version-$platform.tar.gz"
work="$(mktemp -d /tmp/stockyard-check-release.XXXXXX)"
server_pid="" shop_pid=""
cleanup() { for pid in $server_pid $shop_pid; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
step() { echo; echo "== $*"; }
fail() { echo "check-release: FAILED: $*" >&2; exit 1; }

step "scripts/release.sh $version"
started=$(date +%s)
scripts/release.sh "$version"
echo "release build: $(( $(date +%s) - started )) s"

step "checksum and contents"
(cd dist && sha256sum --check --strict SHA256SUMS)
mkdir "$work/extracted"
tar -xzf "dist/$tarball" -C "$work/extracted"
contents="$(cd "$work/extracted" && find . -type f | LC_ALL=C sort | tr '\n' ' ')"
expected="./README.md ./completions/_stockyard ./completions/stockyard.bash ./completions/stockyard.fish ./man/stockyard.1 ./stockyard "
[ -f LICENSE ] && expected="./LICENSE $expected"
[ "$contents" = "$expected" ] || fail "the tarball holds '$contents', expected '$expected'"
binary="$work/extracted/stockyard"
bash -n "$work/extracted/completions/stockyard.bash" || fail "the bash completion script does not parse"
grep -q "^complete -c 'stockyard'" "$work/extracted/completions/stockyard.fish" || fail "the fish completion script completes nothing"
grep -q '^#compdef stockyard' "$work/extracted/completions/_stockyard" || fail "the zsh completion script lacks #compdef"
grep -q '^\.Sh SUBCOMMANDS\|^\.Sh DESCRIPTION' "$work/extracted/man/stockyard.1" || fail "the man page has no sections"
grep -q 'validate' "$work/extracted/man/stockyard.1" || fail "the man page does not mention validate"
! readelf --sections "$binary" | grep -q '\.symtab' || fail "the binary is not stripped (it has a .symtab)"
echo "binary: $(stat -c %s "$binary") bytes; tarball: $(stat -c %s "dist/$tarball") bytes"

step "ldd"
ldd "$binary" | tee "$work/ldd"
foreign="$(grep -vE '^\s*(linux-vdso\.so|/lib64/ld-linux|libc\.so|libm\.so|libgcc_s\.so)' "$work/ldd" || true)"
[ -z "$foreign" ] || fail "libraries beyond glibc and libgcc_s: $foreign"

step "the demo in a root with only glibc"
root="$work/root"
mkdir -p "$root/tmp" "$root/dev" "$root/proc"
chmod 1777 "$root/tmp"
cp "$binary" "$root/stockyard"
# Exactly the files ldd resolved, at the same paths: glibc, its loader and libgcc_s, nothing else.
for library in $(grep -oE '/[^ ]+\.so[^ ]*' "$work/ldd"); do
    mkdir -p "$root$(dirname "$library")"
    cp -L "$library" "$root$library"
done
cp -r examples/demo "$root/demo"
rm -rf "$root/demo/.stockyard"
echo "root holds: $(cd "$root" && find . -type f | LC_ALL=C sort | tr '\n' ' ')"
# A mount namespace, so /dev and /proc are mounted for this check only and vanish with it.
unshare --mount --fork /bin/sh -eu -c '
    root="$1"
    mount --bind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    run() { echo "+ stockyard $*"; chroot "$root" /stockyard "$@"; }
    run --version
    run validate --config /demo/stockyard.yaml
    run plan --config /demo/stockyard.yaml --out /demo/plan.json
    run apply --config /demo/stockyard.yaml /demo/plan.json
    set +e
    run plan --config /demo/stockyard.yaml --detailed-exitcode > /tmp/stockyard-replan.txt
    code=$?
    set -e
    cat /tmp/stockyard-replan.txt
    [ "$code" = 0 ] || { echo "the plan after apply exits $code, not 0 (nothing to do)" >&2; exit 1; }
    [ -s "$root/demo/.stockyard/state.sqlite" ] || { echo "apply wrote no SQLite state" >&2; exit 1; }
    # The toolchain and the system libraries are not there to be found.
    for absent in /opt /usr/lib/x86_64-linux-gnu/libyaml-0.so.2 /usr/lib/x86_64-linux-gnu/libsqlite3.so.0 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /bin/sh; do
        [ ! -e "$root$absent" ] || { echo "$absent is in the root" >&2; exit 1; }
    done
' check "$root"

step "a Shopify store, read with the documents compiled into the binary"
# The demo has only `file` stores; this plans a Shopify store in the same root, against a
# one-location Admin API on loopback, and compares the GraphQL it was sent with ShopifyDocuments.swift.
shop_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 scripts/check_release_shop.py "$shop_port" "$work/shop-requests.log" > "$work/shop.log" 2>&1 &
shop_pid=$!
for _ in $(seq 50); do python3 -c "import socket, sys; socket.create_connection(('127.0.0.1', $shop_port))" 2>/dev/null && break; sleep 0.1; done
mkdir -p "$root/shop"
cat > "$root/shop/stockyard.yaml" <<YAML
version: 1
lint: { ignore: [unmanaged-location, own-on-store-master] }
warehouses:
  york: { name: York, kind: own }
stores:
  shop:
    platform: shopify
    shop: check.myshopify.com
    credentials: env:SHOP_TOKEN
    endpoint: http://127.0.0.1:$shop_port
    locations:
      Main: { warehouse: york, master: store }
YAML
set +e
unshare --mount --fork /bin/sh -eu -c '
    mount --bind /dev "$1/dev"
    mount -t proc proc "$1/proc"
    SHOP_TOKEN=shpat_check_release_0000 chroot "$1" /stockyard plan --config /shop/stockyard.yaml
' check "$root" > "$work/shop-plan.txt" 2>&1
code=$?
set -e
kill "$shop_pid" 2>/dev/null || true
cat "$work/shop-plan.txt"
[ "$code" = 0 ] || fail "plan of a Shopify store exits $code"
grep -q 'connection.shop\["Main"\]' "$work/shop-plan.txt" || fail "the plan does not show the Shopify location's connection"
python3 scripts/check_release_shop.py --compare "$work/shop-requests.log"

step "action.yml installs the release and refuses a tampered one"
mirror="$work/mirror"
mkdir -p "$mirror/v$version" "$mirror/tampered/v$version"
cp "dist/$tarball" dist/SHA256SUMS "$mirror/v$version/"
cp dist/SHA256SUMS "$mirror/tampered/v$version/"
{ cat "dist/$tarball"; printf 'x'; } > "$mirror/tampered/v$version/$tarball"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory "$mirror" "$port" > "$work/http.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do curl -fso /dev/null "http://127.0.0.1:$port/v$version/SHA256SUMS" && break; sleep 0.1; done
python3 -c 'import sys, yaml; print(yaml.safe_load(open("action.yml"))["runs"]["steps"][0]["run"])' > "$work/action-install.sh"
run_action() { # DOWNLOAD_URL VERSION_INPUT: runs the action's step as the runner would, its inputs in the environment
    local home="$work/runner-$RANDOM"
    mkdir -p "$home/temp" "$home/tool-cache" "$home/_actions/acme/stockyard/v$version"
    : > "$home/path"; : > "$home/output"
    env -i PATH=/usr/bin:/bin HOME="$home" RUNNER_OS=Linux RUNNER_TEMP="$home/temp" RUNNER_TOOL_CACHE="$home/tool-cache" \
        GITHUB_PATH="$home/path" GITHUB_OUTPUT="$home/output" \
        STOCKYARD_VERSION="$2" STOCKYARD_REPOSITORY="" STOCKYARD_DOWNLOAD_URL="$1" \
        STOCKYARD_ACTION_PATH="$home/_actions/acme/stockyard/v$version" \
        bash -e "$work/action-install.sh" >&2 && echo "$home"
}
home="$(run_action "http://127.0.0.1:$port" "")" || fail "the action did not install v$version"
installed="$(cat "$home/path")/stockyard"
[ "$("$installed" --version)" = "$("$binary" --version)" ] || fail "the action installed something else: $("$installed" --version)"
grep -qx "version=$version" "$home/output" || fail "the action's version output is not $version"
echo "installed $("$installed" --version) at $installed"
if run_action "http://127.0.0.1:$port/tampered" "$version" > "$work/tampered.log" 2>&1; then
    fail "the action installed a tarball that does not match SHA256SUMS"
fi
grep -q 'does not match its checksum' "$work/tampered.log" || fail "the tampered tarball failed for another reason: $(cat "$work/tampered.log")"
echo "a tampered tarball is refused: $(grep -o 'stockyard-[^ ]* does not match[^:]*' "$work/tampered.log")"

step "the GitLab recipe's install lines"
python3 - "$work/gitlab-install.sh" <<'PY'
import sys, yaml
lines = yaml.safe_load(open("examples/ci/gitlab-ci.yml"))["default"]["before_script"]
install = [line for line in lines if "stockyard" in line.lower()]
assert install, "no install lines in before_script"
open(sys.argv[1], "w").write("\n".join(install) + "\n")
PY
run_gitlab() { # RELEASES_URL OUT: runs the lines with a private, empty /usr/local/bin; copies out what they install
    unshare --mount --fork /bin/sh -eu -c '
        mount -t tmpfs tmpfs /usr/local/bin
        dir="$(mktemp -d)"; cd "$dir"
        set +e
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$dir" STOCKYARD_VERSION="$1" STOCKYARD_RELEASES="$2" bash -e -o pipefail "$3"
        code=$?
        set -e
        [ ! -e /usr/local/bin/stockyard ] || cp /usr/local/bin/stockyard "$4"
        rm -rf "$dir"
        exit $code
    ' gitlab "$version" "$1" "$work/gitlab-install.sh" "$2"
}
run_gitlab "http://127.0.0.1:$port" "$work/gitlab-installed" || fail "the GitLab install lines failed"
[ "$("$work/gitlab-installed" --version)" = "$("$binary" --version)" ] || fail "the GitLab lines installed something else"
if run_gitlab "http://127.0.0.1:$port/tampered" "$work/gitlab-tampered" > "$work/gitlab-tampered.log" 2>&1; then
    fail "the GitLab lines installed a tarball that does not match SHA256SUMS"
fi
[ ! -e "$work/gitlab-tampered" ] || fail "the GitLab lines installed a tampered binary"
echo "installed, and a tampered tarball is refused"

step "the Dockerfile's build stage"
python3 scripts/check_dockerfile.py "$version" "dist/$tarball"

echo
echo "check-release: all checks passed ($(( $(date +%s) - started )) s in all)"
