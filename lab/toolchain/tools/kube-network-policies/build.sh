#!/usr/bin/env bash
# Builds kube-network-policies (sigs.k8s.io/kube-network-policies, the NetworkPolicy engine of
# SIG Network) from its Go module, with one patch (lab-kernel-and-kubeconfig.patch):
# - The engine sends each new connection to or from a policed pod to userspace with nftables'
#   `queue` expression. This machine's kernel has no nft queue (CONFIG_NFT_QUEUE unset:
#   `nft add rule ... queue num 100` fails), but it has xt_NFQUEUE and nft_compat, which give
#   the same verdict path. nft_compat refuses inet tables, so the engine's table is ip (IPv4;
#   the lab is IPv4-only). Policy evaluation, the part the lab proves, is unchanged upstream code.
# - A --kubeconfig flag: the lab runs the engine as a node process next to kube-proxy, not as a
#   DaemonSet pod with a service account token.
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports GOMODCACHE/GOCACHE/GOFLAGS/GOTOOLCHAIN)
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
mod=sigs.k8s.io/kube-network-policies
ver="$(go list -m -f '{{.Version}}' "$mod")"   # from go.mod, verified by go.sum
work="$(mktemp -d)"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
echo "[kube-network-policies] go mod download $mod@$ver, patch, build"
go mod download "$mod"
cp -r "$(go list -m -f '{{.Dir}}' "$mod")/." "$work/"
chmod -R u+w "$work"
patch -d "$work" -p1 --quiet <lab-kernel-and-kubeconfig.patch
(cd "$work" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/kube-network-policies" ./cmd)
"$out/kube-network-policies" --help 2>&1 | grep -q -- -kubeconfig
