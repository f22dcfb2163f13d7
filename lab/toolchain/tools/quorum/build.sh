#!/usr/bin/env bash
# Builds GoQuorum's geth and bootnode (v24.4.1, the version qstack deploys) from the upstream
# source archive, verified by sha256 before anything is extracted.
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports GOMODCACHE/GOCACHE/GOFLAGS/GOTOOLCHAIN)
#
# No source patch is needed. Two build settings are (measured, ../shared/upstream/README.md):
# - `-checklinkname=0`: quorum still links github.com/fjl/memsize, which reaches into
#   runtime.stopTheWorld; Go >= 1.23 refuses that link otherwise. memsize is only served by
#   geth's --pprof /memsize page, which qstack never enables.
# - cgo stays on: gopkg.in/olebedev/go-duktape.v3 (the console's JS engine) needs it. The binary
#   is linked statically (netgo/osusergo) so the lab's images need no libc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh OUT_BIN_DIR}"
source "$here/../../lib/upstream-archive.sh"

ARCHIVE=quorum-24.4.1-src.tar.gz
SHA256=3f4041f9aaf340d75e8b91ec237346eef5980479f2584408423e287e943602fd
COMMIT=8585ac91f198ad53977b5293a9dfdf366779b556
DATE=20240612

src="$(dirname "$out")/src"
echo "[quorum] verifying and extracting $ARCHIVE"
extract_upstream "$ARCHIVE" "$SHA256" "$src"
cd "$src/quorum-24.4.1"
echo "[quorum] go build ./cmd/geth ./cmd/bootnode (first build downloads ~320 MB of modules)"
CGO_ENABLED=1 go build -trimpath -tags osusergo,netgo \
  -ldflags "-checklinkname=0 -X main.gitCommit=$COMMIT -X main.gitDate=$DATE -linkmode external -extldflags -static" \
  -o "$out/" ./cmd/geth ./cmd/bootnode
cd "$here" && rm -rf "$src"
"$out/geth" version | sed -n '1,4p'
