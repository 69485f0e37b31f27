#!/usr/bin/env bash
# Builds the self-contained Linux release and its checksum:
#
#   scripts/release.sh VERSION [--allow-modified]
#
# writes dist/stockyard-VERSION-linux-ARCH.tar.gz (the binary `stockyard`, README.md, LICENSE if the
# repository has one, completions/ for bash, zsh and fish, man/stockyard.1) and dist/SHA256SUMS.
#
# The binary links the Swift runtime and Foundation (--static-swift-stdlib), libyaml, SQLite, zlib
# (which swift-nio-extras' HTTP compression links) and the C++ runtime statically, has no resource
# bundle (the GraphQL documents are Swift source), and is stripped: it needs only glibc (with
# libgcc_s, which glibc loads itself). The script refuses to finish if `ldd` lists anything else, or if
# `stockyard --version` does not print VERSION and the commit.
#
# VERSION must be the version in the source (StockyardVersion.current), which is also written into
# every plan: bump it there first. A tree with uncommitted changes is refused unless
# --allow-modified, and then the commit is printed with `-modified`.
#
# Needs: a Swift 6 toolchain, git, and Debian's libyaml-dev, libsqlite3-dev and zlib1g-dev (for
# libyaml.a, libsqlite3.a and libz.a); the Dockerfile runs this same script in the official Swift image. A clean release
# build takes about 15 minutes on 2 cores; an incremental one (same build folder) a minute or two.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/release.sh VERSION [--allow-modified]" >&2; exit 64; }
version=""
allow_modified=0
for argument in "$@"; do
    case "$argument" in
        --allow-modified) allow_modified=1 ;;
        -*) usage ;;
        *) [ -z "$version" ] || usage; version="$argument" ;;
    esac
done
[ -n "$version" ] || usage
fail() { echo "release: $*" >&2; exit 1; }

source_version="$(sed -n 's/^ *public static let current = "\(.*\)"$/\1/p' Sources/StockyardEngine/Plan/Plan.swift)"
[ -n "$source_version" ] || fail "could not read StockyardVersion.current from Sources/StockyardEngine/Plan/Plan.swift"
[ "$version" = "$source_version" ] ||
    fail "VERSION $version is not the version in the source ($source_version, StockyardVersion.current in Sources/StockyardEngine/Plan/Plan.swift): bump it there and commit first"

# The commit goes into the binary as a C macro token: hex digits, maybe `-modified`.
commit="$(git rev-parse --short=12 HEAD 2>/dev/null)" || fail "not a git checkout: the release must name the commit it is built from"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    [ "$allow_modified" = 1 ] || fail "the tree has uncommitted changes: commit them, or pass --allow-modified for a build that says so"
    commit="$commit-modified"
fi

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) platform=linux-x86_64 ;;
    Linux-aarch64) platform=linux-aarch64 ;;
    *) fail "releases are built on Linux x86_64 or aarch64, not $(uname -s) $(uname -m)" ;;
esac

# A folder holding only the static archives, first on the linker's search path: there `-lyaml`,
# `-lsqlite3`, `-lz` and `-lstdc++` find an archive and no shared library, so the linker copies the
# code in. SwiftPM puts the -L of yaml-0.1.pc (the system's library folder) first on the link line,
# so a copy of that file naming this folder instead, found first through PKG_CONFIG_PATH, does it.
static_dir="$PWD/.build/release-static-libraries"
rm -rf "$static_dir" && mkdir -p "$static_dir"
multiarch="$(gcc -print-multiarch 2>/dev/null || clang -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")"
for archive in libyaml.a libsqlite3.a libz.a; do
    path="/usr/lib/$multiarch/$archive"
    [ -f "$path" ] || fail "$path is missing: apt-get install libyaml-dev libsqlite3-dev zlib1g-dev"
    ln -s "$path" "$static_dir/$archive"
done
sed "s|^Libs:.*|Libs: -L$static_dir -lyaml|" "/usr/lib/$multiarch/pkgconfig/yaml-0.1.pc" > "$static_dir/yaml-0.1.pc"
export PKG_CONFIG_PATH="$static_dir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
libstdcxx="$(clang -print-file-name=libstdc++.a 2>/dev/null || true)"
[ -f "$libstdcxx" ] || libstdcxx="$(gcc -print-file-name=libstdc++.a 2>/dev/null || true)"
[ -f "$libstdcxx" ] || fail "libstdc++.a not found: apt-get install libstdc++-12-dev (or the version the toolchain uses)"
ln -s "$libstdcxx" "$static_dir/libstdc++.a"

echo "Building stockyard $version (commit $commit) for $platform"
export STOCKYARD_BUILD_COMMIT="$commit"
build=(swift build -c release --product stockyard --static-swift-stdlib)
"${build[@]}"
binary="$("${build[@]}" --show-bin-path)/stockyard"

stage="$PWD/.build/release-stage"
rm -rf "$stage" && mkdir -p "$stage/completions" "$stage/man"
cp "$binary" "$stage/stockyard"
strip --strip-all "$stage/stockyard"

# The checks a user would make; a release that fails them is not written.
printed="$("$stage/stockyard" --version)"
[ "$printed" = "$version (commit $commit)" ] || fail "--version prints '$printed', not '$version (commit $commit)'"
# glibc, and libgcc_s, which glibc itself loads to unwind a thread that exits (Debian's libc6 depends
# on it); linking libgcc statically would hide it from ldd, not make it unneeded.
foreign="$(ldd "$stage/stockyard" | grep -vE '^\s*(linux-vdso\.so|/lib64/ld-linux|ld-linux|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so|libgcc_s\.so)' || true)"
[ -z "$foreign" ] || fail "the binary needs libraries beyond glibc and libgcc_s:"$'\n'"$foreign"

"$stage/stockyard" --generate-completion-script bash > "$stage/completions/stockyard.bash"
"$stage/stockyard" --generate-completion-script zsh > "$stage/completions/_stockyard"
"$stage/stockyard" --generate-completion-script fish > "$stage/completions/stockyard.fish"
scripts/generate-manual.sh "$stage/stockyard" "$stage/man"

cp README.md "$stage/"
if [ -f LICENSE ]; then cp LICENSE "$stage/"; else echo "release: note: the repository has no LICENSE file; the tarball has none either" >&2; fi

# Same commit, same bytes: sorted names, fixed owner and the commit's time, no gzip timestamp.
mkdir -p dist
tarball="stockyard-$version-$platform.tar.gz"
commit_time="$(git log -1 --format=%ct HEAD)"
(cd "$stage" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
    tar --create --no-recursion --files-from=- --owner=0 --group=0 --numeric-owner --mtime="@$commit_time" |
    gzip -9 -n) > "dist/$tarball.partial"
mv "dist/$tarball.partial" "dist/$tarball"
(cd dist && sha256sum "$tarball" > SHA256SUMS.partial && mv SHA256SUMS.partial SHA256SUMS)

echo "Wrote dist/$tarball ($(stat -c %s "dist/$tarball") bytes; binary $(stat -c %s "$stage/stockyard") bytes) and dist/SHA256SUMS:"
cat dist/SHA256SUMS
