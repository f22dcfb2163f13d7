#!/usr/bin/env bash
# Builds etcd (server) from go.etcd.io/etcd/server/v3 via this tools module.
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports GOMODCACHE/GOCACHE/GOFLAGS/GOTOOLCHAIN)
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
mkdir -p "$out"
ver="$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
echo "[etcd] go build go.etcd.io/etcd/server/v3@$ver -> $out/etcd"
# Same as upstream ./build.sh: static, trimmed paths; GitSHA is cosmetic (module zips carry no git hash).
CGO_ENABLED=0 go build -trimpath \
  -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${ver}-gomodule" \
  -o "$out/etcd" go.etcd.io/etcd/server/v3
"$out/etcd" --version
