#!/usr/bin/env bash
# Builds pulumi-resource-random into $1. Called by ../../ensure.sh from this folder with
# GOMODCACHE/GOCACHE/GOFLAGS=-mod=readonly/GOTOOLCHAIN=local exported.
#
# Not the upstream provider: the lab's Go module proxy serves no github.com/pulumi/pulumi-random
# module at all, so main.go is a small own implementation of the @pulumi/random 4.21.1 resource
# API on the provider gRPC protocol (pulumi pkg/sdk v3.248.0, same as the CLI). See main.go.
set -euo pipefail
out="${1:?usage: build.sh OUT_BIN_DIR}"
VERSION=4.21.1

echo "pulumi-random: building pulumi-resource-random (qstack lab implementation, API $VERSION)"
CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X main.version=$VERSION" -o "$out/pulumi-resource-random" .
