#!/usr/bin/env bash
# Builds Prometheus (cmd/prometheus) and promtool (cmd/promtool) from github.com/prometheus/prometheus
# via this tools module: the version qstack deploys (DEFAULTS.prometheusImage). promtool checks the
# generated prometheus.yml; the server is the lab's qstack-lab/prometheus image (lab/images), which
# scrapes the real node pods.
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports GOMODCACHE/GOCACHE/GOFLAGS/GOTOOLCHAIN)
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
mkdir -p "$out"
mod=github.com/prometheus/prometheus
ver="$(go list -m -f '{{.Version}}' "$mod")"   # e.g. v0.313.2 (Go module version of Prometheus 3.13.2)
# The release version is the module's VERSION file, what upstream's promu stamps too (download
# first: on a cold cache `go list -m` knows no Dir yet).
info="$(go mod download -json "$mod")"
release="$(cat "$(sed -n 's/.*"Dir": *"\([^"]*\)".*/\1/p' <<<"$info")/VERSION")"
# buildDate = the release's commit time as served by the proxy (reproducible), in promu's format.
date="$(sed -n 's/.*"Time": *"\([^"]*\)".*/\1/p' "$(sed -n 's/.*"Info": *"\([^"]*\)".*/\1/p' <<<"$info")")"
date="$(date -u -d "${date:-1970-01-01T00:00:00Z}" +%Y%m%d-%H:%M:%S)"
# Same variables and tags as upstream .promu.yml; Revision/Branch are cosmetic (module zips carry no git hash).
v=github.com/prometheus/common/version
ldflags="-s -w -X $v.Version=$release -X $v.Revision=$ver-gomodule -X $v.Branch=HEAD"
ldflags+=" -X $v.BuildUser=qstack-lab -X $v.BuildDate=$date"
# Only the Kubernetes service discovery (upstream's own plugin build tags, plugins/plugin_*.go):
# qstack's prometheus.yml uses kubernetes_sd_configs alone. Leaving out the other SDs (AWS, Azure,
# GCE, OpenStack, Consul, ...) drops 215 of the two binaries' 1471 packages and 59 of their 236
# modules (`go list -deps`), all of them downloaded and compiled on a cold cache. A config using
# another SD is refused by this promtool and server, so no test can pass on an SD left out.
sd_tags=remove_all_sd,enable_kubernetes_sd
echo "[prometheus] go build $mod/cmd/promtool@$ver (Prometheus $release; Kubernetes SD only) -> $out/promtool"
CGO_ENABLED=0 go build -trimpath -tags "netgo,builtinassets,$sd_tags" -ldflags "$ldflags" -o "$out/promtool" "$mod/cmd/promtool"
"$out/promtool" --version
# The server without `builtinassets`: the web UI's assets are an npm build that the Go module does
# not carry (web/ui/embed.go.tmpl is only a template), so this binary serves the HTTP API, /metrics
# and the health endpoints, and answers 404 for the UI pages. Everything qstack uses is the API.
echo "[prometheus] go build $mod/cmd/prometheus@$ver (Prometheus $release, API only: no UI assets; Kubernetes SD only) -> $out/prometheus"
CGO_ENABLED=0 go build -trimpath -tags "netgo,$sd_tags" -ldflags "$ldflags" -o "$out/prometheus" "$mod/cmd/prometheus"
"$out/prometheus" --version
