#!/usr/bin/env bash
# Pins every module a tools module shares with the kubernetes tools modules (tools/kubernetes and
# tools/kubernetes-node, both at k8s.io/kubernetes' own versions) to the version kubernetes builds
# with, as one marked replace block in that tool's go.mod.
#
# Why: Go's build cache reuses a compiled package only when its module version and those of all
# its dependencies are identical. kwok, CoreDNS and the others each resolve client-go, grpc,
# protobuf and golang.org/x/* to slightly different versions, so a cold toolchain compiled those
# packages once per tool. Aligned, they compile once (measured figures: README, "Toolchain").
#
# A maintenance command, not part of the build: it needs the Go module proxy (`go mod tidy`).
# Run it after bumping a tool or kubernetes, then rebuild the tool and run the e2e suite: a pin
# can move a dependency down, and only the tool's own build and the lab prove it still works.
# test/lab/toolchain/go-module-alignment.test.ts fails when an aligned go.mod drifts.
#
# Usage: lab/toolchain/align-go-modules.sh TOOL...   (e.g. kwok coredns)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export QSTACK_CACHE="${QSTACK_CACHE:-$HOME/.cache/qstack}"
export GOMODCACHE="${GOMODCACHE:-$QSTACK_CACHE/go/pkg/mod}" GOFLAGS=-mod=mod GOTOOLCHAIN=local
MARK_BEGIN="// BEGIN aligned with tools/kubernetes"
MARK_END="// END aligned with tools/kubernetes"

effective_versions() { # module -> version after replaces, for the module in $1
    (cd "$1" && go list -m -f '{{.Path}} {{with .Replace}}{{.Version}}{{else}}{{.Version}}{{end}}' all | tail -n +2)
}

base="$(mktemp)" scratch="$(mktemp -d)"
trap 'rm -rf "$base" "$scratch"' EXIT
# Read the base from copies: listing the whole module graph adds go.sum lines, and any change to a
# recipe's folder would rebuild it.
cp -r "$here/tools/kubernetes" "$here/tools/kubernetes-node" "$scratch/"
# Where the two disagree (two small modules), kubernetes' version wins.
{ effective_versions "$scratch/kubernetes"; effective_versions "$scratch/kubernetes-node"; } | awk '!seen[$1]++' | sort >"$base"

write_block() { # go.mod, then "module version" lines on stdin
    local mod="$1" pins
    pins="$(sort -u)"
    sed -i "\#^$MARK_BEGIN#,\#^$MARK_END#d" "$mod"
    {
        echo "$MARK_BEGIN (lab/toolchain/align-go-modules.sh): the versions the"
        echo "// kubernetes tools build with, so a cold build compiles each shared package once."
        echo "replace ("
        while read -r m v; do [ -n "$m" ] && printf '\t%s => %s %s\n' "$m" "$m" "$v"; done <<<"$pins"
        echo ")"
        echo "$MARK_END"
    } >>"$mod"
}

for tool in "$@"; do
    dir="$here/tools/$tool"
    [ -f "$dir/go.mod" ] || { echo "align-go-modules: no go.mod in tools/$tool" >&2; exit 2; }
    # The tool's own modules (its direct requires and their release family, e.g. go.etcd.io/etcd/*)
    # keep the tool's versions: pinning them would build another release than the recipe names.
    own="$(cd "$dir" && go list -m -f '{{if not .Indirect}}{{.Path}}{{end}}' all | tail -n +2 | awk -F/ 'NF {print ($1 == "github.com" ? $1 "/" $2 "/" $3 : $1 "/" $2)}' | sort -u)"
    pins=""
    for round in 1 2 3 4 5 6; do
        diffs="$(join <(effective_versions "$dir" | sort) "$base" | awk -v own="$own" 'BEGIN {n = split(own, f, "\n")} $2 != $3 {for (i = 1; i <= n; i++) if ($1 == f[i] || index($1, f[i] "/") == 1) next; print $1, $3}')"
        [ -z "$diffs" ] && break
        pins="$(printf '%s\n%s\n' "$pins" "$diffs" | awk 'NF {v[$1]=$2} END {for (m in v) print m, v[m]}')"
        write_block "$dir/go.mod" <<<"$pins"
        (cd "$dir" && go mod tidy)
    done
    left="$(join <(effective_versions "$dir" | sort) "$base" | awk '$2 != $3 {print $1}' | sort -u | tr '\n' ' ')"
    echo "[align] $tool: $(grep -c . <<<"$pins") modules pinned${left:+; at the tool's own versions: $left}" >&2
done
