#!/usr/bin/env bash
# install_debian_packages LABEL LIST_FILE: apt-get installs whatever Debian packages LIST_FILE
# (one a line) names that are missing. Sourced by toolchain/ensure.sh (a recipe's build needs)
# and real-clusters.sh (the real nodes' run-time needs), so a fresh machine gets them from the
# project's own files.
install_debian_packages() {
  local label="$1" list="$2" p missing=()
  [ -f "$list" ] || return 0
  while read -r p; do
    case "$p" in ""|"#"*) continue ;; esac
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
  done <"$list"
  [ ${#missing[@]} -gt 0 ] || return 0
  printf '[%s] installing Debian packages: %s\n' "$label" "${missing[*]}" >&2
  # Recipes build in parallel (lab/toolchain/build.ts); apt's own lock fails instead of waiting.
  local lock rc=0
  exec {lock}>"/tmp/qstack-apt.lock"
  flock "$lock"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2 || rc=3
  exec {lock}>&-
  [ "$rc" = 0 ] || printf '[%s] could not install Debian packages: %s (install them as root and rerun)\n' "$label" "${missing[*]}" >&2
  return "$rc"
}
