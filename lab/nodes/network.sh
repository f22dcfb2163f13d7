#!/usr/bin/env bash
# The real-node lab's network: one network namespace per cluster (its control plane and its one
# node live there), on one host bridge, as partner clusters on
# the internet are each other's reachable addresses. Sourced by ../real-clusters.sh.
#
#   host bridge qlab0  10.213.0.1/24   (the host reaches API servers and NodePorts through it)
#   qlab-a             10.213.0.10     cluster a's node IP (exported to partners)
#   qlab-b             10.213.0.20     cluster b's node IP
#   qlab-x             10.213.0.99     a stranger: a lab address no stack allowlists, from which
#                                      the NetworkPolicy tests knock on the partners' NodePorts
#
# Pods egress through their node's CNI bridge with masquerade, so a partner sees the node IP,
# which is what its NetworkPolicy allowlist holds. No namespace has a default route and the
# host's ip_forward is left alone: nothing can leave the lab's addresses.

LAB_BRIDGE=qlab0
LAB_BRIDGE_IP=10.213.0.1
LAB_PREFIX=24
declare -A NETNS=([a]=qlab-a [b]=qlab-b)
declare -A NODE_IP=([a]=10.213.0.10 [b]=10.213.0.20)
STRANGER_NETNS=qlab-x
STRANGER_IP=10.213.0.99

in_netns() { local ns="$1"; shift; nsenter --net="/run/netns/$ns" -- "$@"; }

net_up() {
  if ! ip link show "$LAB_BRIDGE" >/dev/null 2>&1; then
    ip link add "$LAB_BRIDGE" type bridge
    ip addr add "$LAB_BRIDGE_IP/$LAB_PREFIX" dev "$LAB_BRIDGE"
    ip link set "$LAB_BRIDGE" up
  fi
  local c
  for c in "${!NETNS[@]}"; do net_up_one "${NETNS[$c]}" "${NODE_IP[$c]}"; done
  net_up_one "$STRANGER_NETNS" "$STRANGER_IP"
}

net_up_one() { # NETNS IP
  local ns="$1" ip="$2"
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
  local ns
  for ns in "${NETNS[@]}" "$STRANGER_NETNS"; do
    if [ -e "/run/netns/$ns" ]; then ip netns del "$ns"; fi
  done
  if ip link show "$LAB_BRIDGE" >/dev/null 2>&1; then ip link del "$LAB_BRIDGE"; fi
  # `ip netns del` frees the veths asynchronously; wait so a following `up` finds a clean host.
  for ns in "${NETNS[@]}" "$STRANGER_NETNS"; do
    wait_for "veth-$ns to disappear" 20 sh -c "! ip link show veth-$ns" || true
  done
}
