#!/usr/bin/env bash
# Builds runc from github.com/opencontainers/runc via this tools module: the OCI runtime behind
# containerd's runc shim on the lab's real nodes (kubelet + containerd + runc + CNI).
# cgo is required (libcontainer/nsenter is C) and so is seccomp (RuntimeDefault pods): tags as
# upstream's Makefile minus libpathrs (a Rust library Debian bookworm lacks; runc then uses its
# pure-Go pathrs-lite). Links libseccomp.so.2 dynamically; Debian packages in ./debian-packages.
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports GOMODCACHE/GOCACHE/GOFLAGS/GOTOOLCHAIN)
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
mkdir -p "$out"
ver="$(go list -m -f '{{.Version}}' github.com/opencontainers/runc)"
echo "[runc] go build github.com/opencontainers/runc@$ver (cgo, tags seccomp urfave_cli_no_docs) -> $out/runc"
# The version string is runc's embedded VERSION file; main.gitCommit stays unset (module zips
# carry no git hash), so `runc --version` prints no commit line. PIE as upstream's Makefile.
CGO_ENABLED=1 go build -trimpath -buildmode=pie -tags "seccomp urfave_cli_no_docs" \
  -o "$out/runc" github.com/opencontainers/runc
"$out/runc" --version
"$out/runc" --version | grep -q '^libseccomp: ' || { echo "[runc] built without seccomp" >&2; exit 1; }
