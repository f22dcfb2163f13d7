#!/usr/bin/env bash
# Builds containerd, ctr and containerd-shim-runc-v2 from github.com/containerd/containerd/v2 via
# this tools module: the CRI runtime of the lab's real nodes (kubelet -> containerd -> shim -> runc).
# Static (CGO_ENABLED=0): only the btrfs snapshotter needs cgo and drops out (overlayfs and native
# remain). Tags and version variables as upstream's Makefile; the shim also gets no_grpc (ttrpc only).
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports GOMODCACHE/GOCACHE/GOFLAGS/GOTOOLCHAIN)
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
mkdir -p "$out"
mod=github.com/containerd/containerd/v2
ver="$(go list -m -f '{{.Version}}' "$mod")"   # e.g. v2.4.2
# Without -X version.Version the binaries report "2.4.2+unknown"; Revision is cosmetic (module
# zips carry no git hash).
v=$mod/version
ldflags="-s -w -X $v.Version=$ver -X $v.Revision=$ver-gomodule -X $v.Package=$mod"
export CGO_ENABLED=0
for b in containerd ctr containerd-shim-runc-v2; do
  tags=urfave_cli_no_docs
  [ "$b" = containerd-shim-runc-v2 ] && tags+=",no_grpc"
  s=$SECONDS
  echo "[containerd] go build $mod/cmd/$b@$ver (tags $tags) ..."
  go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$out/$b" "$mod/cmd/$b"
  echo "[containerd] $b done in $((SECONDS - s)) s"
done
"$out/containerd" --version
"$out/ctr" --version
"$out/containerd-shim-runc-v2" -v
