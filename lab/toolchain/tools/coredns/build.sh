#!/usr/bin/env bash
# Builds CoreDNS from github.com/coredns/coredns via this tools module (main.go: coremain with the
# plugins the lab's Corefile uses): cluster DNS for the lab's real nodes (no image registry to pull
# coredns/coredns from). v1.15.0 is the newest version the
# proxy serves and builds with go1.26 (its go.mod says go 1.26.0; its .go-version 1.27.3 only
# drives upstream's Makefile GOTOOLCHAIN).
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports GOMODCACHE/GOCACHE/GOFLAGS/GOTOOLCHAIN)
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
mkdir -p "$out"
mod=github.com/coredns/coredns
ver="$(go list -m -f '{{.Version}}' "$mod")"   # e.g. v1.15.0 (coremain.CoreVersion is a constant)
echo "[coredns] go build $mod@$ver (coremain; plugins bind, errors, kubernetes, cache) -> $out/coredns"
# As upstream's Makefile: static, tag grpcnotrace, stripped; GitCommit is cosmetic (module zips
# carry no git hash).
CGO_ENABLED=0 go build -trimpath -tags grpcnotrace \
  -ldflags "-s -w -X $mod/coremain.GitCommit=$ver-gomodule" -o "$out/coredns" .
"$out/coredns" -version
