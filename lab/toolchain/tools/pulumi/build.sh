#!/usr/bin/env bash
# Builds the Pulumi engine binaries into $1. Called by ../../ensure.sh from this folder with
# GOMODCACHE/GOCACHE/GOFLAGS=-mod=readonly/GOTOOLCHAIN=local exported.
#
#   pulumi                         CLI, pkg/v3 + sdk/v3 v3.248.0 (= npm @pulumi/pulumi 3.248.0)   cli/
#   pulumi-language-nodejs-v3.68   Node.js language host, from sdk/v3 v3.68.0                    langhost-nodejs/
#   pulumi-language-nodejs         starts it with Pulumi.yaml's runtime options as flags         langhost-nodejs/options-shim/
#   pulumi-resource-pulumi-nodejs  dynamic-provider launcher script, copied from sdk/v3 v3.248.0 (nodejs/dist)
#
# The language host's own module (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
# is not served by the lab's Go module proxy at any version ("This module version is not
# available"). sdk/v3 v3.68.0 is the newest served sdk release that still contained the host as a
# package (sdk/v3/nodejs/cmd/pulumi-language-nodejs); the engine talks to it through its
# backward-compatible gRPC fallbacks (no Handshake / GetRequiredPackages: it uses GetRequiredPlugins,
# RunRequest.Pwd/Program). It runs the program with @pulumi/pulumi/cmd/run from the project's own
# node_modules, so the Node SDK stays 3.248.0. The v3.248 engine no longer passes Pulumi.yaml's
# runtime options (typescript, tsconfig, nodeargs) as flags, as v3.68-era engines did; the shim
# the engine finds as pulumi-language-nodejs reads them from the project and passes them the old
# way, so the lab runs a program as a current CLI does (e.g. compiled JavaScript without ts-node).
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
CLI_VERSION=v3.248.0
HOST_VERSION=v3.68.0
vpkg=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
flags=(-trimpath -buildvcs=false -tags osusergo,grpcnotrace)

echo "pulumi: building pulumi $CLI_VERSION"
(cd cli && CGO_ENABLED=0 go build "${flags[@]}" -ldflags "-s -w -X $vpkg=$CLI_VERSION" \
  -o "$out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)

sdk="$(cd cli && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 0755 "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$out/pulumi-resource-pulumi-nodejs"

echo "pulumi: building pulumi-language-nodejs $HOST_VERSION and its runtime-options shim"
(cd langhost-nodejs && CGO_ENABLED=0 go build "${flags[@]}" -ldflags "-s -w -X $vpkg=$HOST_VERSION" \
  -o "$out/pulumi-language-nodejs-v3.68" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs)
(cd langhost-nodejs && CGO_ENABLED=0 go build "${flags[@]}" -ldflags "-s -w" \
  -o "$out/pulumi-language-nodejs" ./options-shim)

"$out/pulumi" version
