#!/usr/bin/env bash
# The real-node lab's network: one network namespace per cluster (its control plane and its one
# node live there), on one host bridge, as partner clusters on
# the internet are each other's reachable addresses. Sourced by ../real-clusters.sh.
#
#   host bridge qlab0  10.213.0.1/24   (the host reaches API servers and NodePorts through it)
#   qlab-a             10.213.0.10     cluster a's node IP (exported to partners)
#   qlab-b             10.213.0.20     cluster b's node IP
#
# Pods egress through their node's CNI bridge with masquerade, so a partner sees the node IP,
# which is what its NetworkPolicy allowlist holds. No namespace has a default route and the
# host's ip_forward is left alone: nothing can leave the lab's addresses.

LAB_BRIDGE=qlab0
LAB_BRIDGE_IP=10.213.0.1
LAB_PREFIX=24
declare -A NETNS=([a]=qlab-a [b]=qlab-b)
declare -A NODE_IP=([a]=10.213.0.10 [b]=10.213.0.20)

in_netns() { local ns="$1"; shift; nsenter --net="/run/netns/$ns" -- "$@"; }

net_up() {
  if ! ip link show "$LAB_BRIDGE" >/dev/null 2>&1; then
    ip link add "$LAB_BRIDGE" type bridge
    ip addr add "$LAB_BRIDGE_IP/$LAB_PREFIX" dev "$LAB_BRIDGE"
    ip link set "$LAB_BRIDGE" up
  fi
  local c
  for c in "${!NETNS[@]}"; do net_up_one "$c"; done
}

net_up_one() {
  local c="$1" ns="${NETNS[$1]}" ip="${NODE_IP[$1]}"
  [ -e "/run/netns/$ns" ] && return 0
  ip netns add "$ns"
  ip link add "veth-$ns" type veth peer name eth0 netns "$ns"
  ip link set "veth-$ns" master "$LAB_BRIDGE" up
  in_netns "$ns" ip link set lo up
  in_netns "$ns" ip addr add "$ip/$LAB_PREFIX" dev eth0
  in_netns "$ns" ip link set eth0 up
  # Pods route through the node; this sysctl is per namespace.
  in_netns "$ns" sysctl -qw net.ipv4.ip_forward=1
  log "network: $ns at $ip"
}

net_down() {
  local c
  for c in "${!NETNS[@]}"; do
    if [ -e "/run/netns/${NETNS[$c]}" ]; then ip netns del "${NETNS[$c]}"; fi
  done
  if ip link show "$LAB_BRIDGE" >/dev/null 2>&1; then ip link del "$LAB_BRIDGE"; fi
  # `ip netns del` frees the veths asynchronously; wait so a following `up` finds a clean host.
  for c in "${!NETNS[@]}"; do
    wait_for "veth-${NETNS[$c]} to disappear" 20 sh -c "! ip link show veth-${NETNS[$c]}" || true
  done
}
