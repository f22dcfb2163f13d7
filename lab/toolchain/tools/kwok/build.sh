#!/usr/bin/env bash
# Builds the kwok controller from sigs.k8s.io/kwok/cmd/kwok via this tools module.
# The standalone kwok has no built-in stages: pass the default Stage YAMLs from the module cache
# ($(go env GOMODCACHE)/sigs.k8s.io/kwok@<ver>/kustomize/stage/...) with --config.
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports GOMODCACHE/GOCACHE/GOFLAGS/GOTOOLCHAIN)
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
mkdir -p "$out"
ver="$(go list -m -f '{{.Version}}' sigs.k8s.io/kwok)"
echo "[kwok] go build sigs.k8s.io/kwok/cmd/kwok@$ver -> $out/kwok"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/kwok" sigs.k8s.io/kwok/cmd/kwok
"$out/kwok" --version
