#!/usr/bin/env bash
# Builds the CNI plugins bridge, host-local, loopback and portmap from
# github.com/containernetworking/plugins via this tools module: pod networking on the lab's real
# nodes (bridge cni0 + host-local IPAM + portmap; loopback for every sandbox). containerd's CRI
# plugin finds them through its CNI bin_dirs, so they go to OUT_BIN_DIR under their usual names.
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports GOMODCACHE/GOCACHE/GOFLAGS/GOTOOLCHAIN)
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
mkdir -p "$out"
mod=github.com/containernetworking/plugins
ver="$(go list -m -f '{{.Version}}' "$mod")"   # e.g. v1.10.0
# Static like upstream's release build; the version stamp is what `CNI_COMMAND=VERSION` / the
# plugin's about text reports ("version unknown" without it).
ldflags="-s -w -X $mod/pkg/utils/buildversion.BuildVersion=$ver"
export CGO_ENABLED=0
for p in main/bridge ipam/host-local main/loopback meta/portmap; do
  b="${p##*/}"
  echo "[cni-plugins] go build $mod/plugins/$p@$ver -> $out/$b"
  go build -trimpath -ldflags "$ldflags" -o "$out/$b" "$mod/plugins/$p"
done
# Without CNI_COMMAND a plugin prints its about text ("CNI bridge plugin v1.10.0" + protocol versions).
for b in bridge host-local loopback portmap; do "$out/$b" </dev/null 2>&1 | grep -F "CNI $b plugin $ver"; done
