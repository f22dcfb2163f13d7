#!/usr/bin/env bash
# Builds the lab's pinned toolchain from Go modules / Maven Central into a cache outside the repo.
#
# Each tool is a folder tools/<name>/ holding a build.sh (called as `build.sh OUT_BIN_DIR`, run
# inside that folder) and whatever Go module files it needs. The cache key is a hash of that
# folder's files, so editing a recipe rebuilds exactly that tool and nothing else. An optional
# tools/<name>/debian-packages (one package a line) lists Debian packages the build needs; the
# missing ones are apt-get installed before building.
#
# Usage: ensure.sh [tool ...]   (default: every tool)   -> prints one bin dir per line on stdout
# Env:   QSTACK_CACHE (default ~/.cache/qstack)          cache root
#        QSTACK_TOOLS_FROM_PATH=1                        trust binaries already on PATH (see tools/<name>/binaries)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export QSTACK_CACHE="${QSTACK_CACHE:-$HOME/.cache/qstack}"
cache="$QSTACK_CACHE"
export GOPATH="${GOPATH:-$cache/go}"
export GOMODCACHE="${GOMODCACHE:-$GOPATH/pkg/mod}"
export GOCACHE="${GOCACHE:-$cache/go-build}"
export GOFLAGS="${GOFLAGS:--mod=readonly}"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
# The compiler's garbage collector is a quarter of a cold build's CPU on 2 cores: etcd's cold build
# (std cached) took 58 CPU-s at the default GOGC=100, 49 at GOGC=400 and 43 with the collector off
# below a 2 GiB soft limit per process (3 lanes x 2 compiles stay well inside 24 GiB). The binaries
# are byte-identical, and GOGC is not part of the build cache key.
export GOGC="${GOGC:-off}"
export GOMEMLIMIT="${GOMEMLIMIT:-2GiB}"

tools=("$@")
if [ ${#tools[@]} -eq 0 ]; then
  for d in "$here"/tools/*/; do tools+=("$(basename "$d")"); done
fi

log() { printf '[toolchain] %s\n' "$*" >&2; }

on_path() {
  # A tool counts as present on PATH only if every binary it provides is there.
  local list="$here/tools/$1/binaries" b
  [ -f "$list" ] || return 1
  while read -r b; do
    [ -n "$b" ] || continue
    command -v "$b" >/dev/null 2>&1 || return 1
  done <"$list"
}

source "$here/../lib/debian-packages.sh"
need_debs() { install_debian_packages "toolchain] [$1" "$here/tools/$1/debian-packages" || exit 3; }

for t in "${tools[@]}"; do
  dir="$here/tools/$t"
  [ -x "$dir/build.sh" ] || { log "unknown tool '$t' (no tools/$t/build.sh)"; exit 2; }
  if [ "${QSTACK_TOOLS_FROM_PATH:-}" = 1 ] && on_path "$t"; then
    log "$t: using binaries already on PATH"
    continue
  fi
  key="$(cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
  out="$cache/tools/$t-$key"
  # Two runs (a test and `npm run lab`, say) may want the same tool at once: one builds, the
  # other waits for it, instead of both building into (and deleting) the same folder.
  mkdir -p "$cache/tools"
  exec {lock}>"$cache/tools/$t.lock"
  flock "$lock"
  if [ -f "$out/.complete" ]; then
    log "$t: cached ($out)"
  else
    need_debs "$t"
    log "$t: building into $out (first time only; progress follows)"
    rm -rf "$out" && mkdir -p "$out/bin"
    start=$SECONDS
    (cd "$dir" && ./build.sh "$out/bin") >&2
    echo "$((SECONDS - start))" >"$out/.build-seconds"
    touch "$out/.complete"
    log "$t: built in $((SECONDS - start)) s"
  fi
  exec {lock}>&-
  echo "$out/bin"
done
