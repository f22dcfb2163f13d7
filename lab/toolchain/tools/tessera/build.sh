#!/usr/bin/env bash
# Builds the Tessera app (0.10.6-SNAPSHOT, the newest Tessera whose source and every dependency
# this machine can reach; qstack deploys 24.4.2, which cannot be obtained here) from the upstream
# source archive with Maven, Central only, into a runnable jar plus a `tessera` start script.
# Usage: ./build.sh OUT_BIN_DIR   (run from this folder; ensure.sh exports QSTACK_CACHE)
#
# Patch root-pom-no-wagon-git.patch: the root pom loads the build extension
# ar.com.synergian:wagon-git:0.2.5 from a plugin repository on GitHub, which is unreachable
# here and fails the build before any module compiles. It is used only to deploy releases, so
# the extension and its plugin repository are removed; nothing that is built changes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh OUT_BIN_DIR}"
source "$here/../../lib/upstream-archive.sh"

ARCHIVE=tessera-0.10.6-SNAPSHOT-src.tar.gz
SHA256=cd99d6fcb29ba0945fe781483071b91cca72ddc5fa84972c1138892ad91d4877
VERSION=0.10.6-SNAPSHOT

root="$(dirname "$out")"
src="$root/src"
echo "[tessera] verifying and extracting $ARCHIVE"
extract_upstream "$ARCHIVE" "$SHA256" "$src"
cd "$src/tessera-$VERSION"
patch -p1 --quiet <"$here/root-pom-no-wagon-git.patch"
echo "[tessera] mvn package -pl tessera-dist/tessera-app -am (first build downloads ~200 MB from Maven Central)"
# Tests and quality gates are upstream's concern, not the lab's; they add ~20 min on 2 cores.
mvn -B -ntp -Dmaven.repo.local="${QSTACK_CACHE:?}/m2" \
  -DskipTests -Denforcer.skip=true -Dspotbugs.skip=true -Dcheckstyle.skip=true -Djacoco.skip=true \
  -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Ddependency-check.skip=true \
  package -pl tessera-dist/tessera-app -am
mkdir -p "$root/lib"
install -m 0644 "tessera-dist/tessera-app/target/tessera-app-$VERSION-app.jar" "$root/lib/tessera-app.jar"
cat >"$out/tessera" <<'SH'
#!/bin/sh
# Starts the lab's Tessera build; the same arguments as quorumengineering/tessera's bin/tessera.
exec java ${JAVA_OPTS:-} -jar "$(dirname "$0")/../lib/tessera-app.jar" "$@"
SH
chmod 0755 "$out/tessera"
cd "$here" && rm -rf "$src"
"$out/tessera" version 2>/dev/null | tail -n 1 || true
