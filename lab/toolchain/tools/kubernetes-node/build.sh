#!/usr/bin/env bash
# Builds kubelet and kube-proxy from k8s.io/kubernetes via this tools module (see go.mod for why
# the replace block exists), plus the sandbox `pause` binary: no pause image can be pulled here, so
# the lab packs this static build/pause/linux/pause.c from the same module zip into its own
# sandbox image. Kept apart from tools/kubernetes so its cache is not invalidated.
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports GOMODCACHE/GOCACHE/GOFLAGS/GOTOOLCHAIN)
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
mkdir -p "$out"
ver="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"   # e.g. v1.36.5 (from go.mod)
major="${ver#v}"; major="${major%%.*}"
minor="${ver#v*.}"; minor="${minor%%.*}"
# Version stamp as in tools/kubernetes/build.sh (unstamped binaries report v0.0.0-master, and
# the API server/kubectl then show the node as that version). Same variables as k8s
# hack/lib/version.sh (component-base + client-go).
commit="0000000000000000000000000000000000000000"   # module zips carry no git hash
# buildDate = the release's commit time as served by the proxy (reproducible)
date="$(go list -m -json k8s.io/kubernetes | sed -n 's/.*"Time": *"\([^"]*\)".*/\1/p')"
date="${date:-1970-01-01T00:00:00Z}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitVersion=$ver"
  ldflags+=" -X $pkg.gitCommit=$commit -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
done
export CGO_ENABLED=0
for b in kubelet kube-proxy; do
  s=$SECONDS
  echo "[kubernetes-node] go build k8s.io/kubernetes/cmd/$b@$ver ..."
  go build -trimpath -ldflags "$ldflags" -o "$out/$b" "k8s.io/kubernetes/cmd/$b"
  echo "[kubernetes-node] $b done in $((SECONDS - s)) s"
done
# pause: upstream build/pause/Makefile compiles it with `-Os -Wall -Werror -static
# -DVERSION=v$(TAG)-$(REV)`; TAG is the pause release in that Makefile, REV here the k8s version.
src="$(go mod download -json k8s.io/kubernetes | sed -n 's/.*"Dir": *"\([^"]*\)".*/\1/p')/build/pause"
tag="$(sed -n 's/^TAG ?= *//p' "$src/Makefile")"   # e.g. 3.10.2
echo "[kubernetes-node] gcc -static build/pause/linux/pause.c (pause $tag) -> $out/pause"
gcc -Os -Wall -Werror -static -DVERSION="v$tag-$ver" -o "$out/pause" "$src/linux/pause.c"
strip "$out/pause"
"$out/kubelet" --version
"$out/kube-proxy" --version
"$out/pause" -v
