#!/usr/bin/env bash
# Locates and verifies one of the upstream source archives the lab builds from (GoQuorum,
# Tessera), then extracts it into a fresh directory. Sourced by recipes; never writes next to
# the archive (in CI that folder is read-only).
#
#   extract_upstream ARCHIVE_NAME SHA256 DEST_DIR
#
# The archives live in ../shared/upstream beside the repository, or wherever
# QSTACK_UPSTREAM_DIR points (users outside this layout set it).
upstream_dir() {
  if [ -n "${QSTACK_UPSTREAM_DIR:-}" ]; then
    printf '%s\n' "$QSTACK_UPSTREAM_DIR"
  else
    local repo
    repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
    printf '%s\n' "$(cd "$repo/.." && pwd)/shared/upstream"
  fi
}

extract_upstream() {
  local name="$1" want="$2" dest="$3" dir file got
  dir="$(upstream_dir)"
  file="$dir/$name"
  if [ ! -f "$file" ]; then
    echo "upstream archive missing: $name (expected at $file; set QSTACK_UPSTREAM_DIR to the folder that holds it)" >&2
    return 1
  fi
  got="$(sha256sum "$file" | cut -d' ' -f1)"
  if [ "$got" != "$want" ]; then
    echo "upstream archive altered: $file has sha256 $got; expected $want (the pinned, unmodified upstream archive)" >&2
    return 1
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$file" -C "$dest"
}
