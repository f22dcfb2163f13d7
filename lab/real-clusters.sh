#!/usr/bin/env bash
# Two Kubernetes clusters with one real node each, side by side on this machine: each cluster's
# control plane (etcd, kube-apiserver, controller-manager, scheduler) and node (containerd, runc,
# CNI, kubelet, kube-proxy, CoreDNS, kube-network-policies) run in the cluster's own network
# namespace (nodes/network.sh), and containers really run, from the lab's own images.
#
#   cluster  node IP       NodePorts     API server
#   a        10.213.0.10   30000-30999   https://10.213.0.10:6443
#   b        10.213.0.20   31000-31999   https://10.213.0.20:6443
#
# Usage: real-clusters.sh up|down|status     State lives in $QSTACK_LAB_DIR/real (default <repo>/.lab).
# `down` removes every process, namespace, veth, cgroup, mount and file `up` made, also after a
# failed `up`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lab="${QSTACK_LAB_DIR:-$(dirname "$here")/.lab}"
root="$lab/real"
CLUSTERS=(a b)
declare -A PORTS=([a]=30000-30999 [b]=31000-31999)
PV_COUNT="${QSTACK_LAB_PVS:-12}"

source "$here/lib/cluster-common.sh"
source "$here/lib/debian-packages.sh"
source "$here/nodes/network.sh"
source "$here/nodes/node.sh"

TOOLS=(etcd kubernetes kubernetes-node containerd runc cni-plugins coredns kube-network-policies)

toolchain_path() {
  local dirs
  dirs="$("$here/toolchain/ensure.sh" "${TOOLS[@]}" | paste -sd:)"
  export PATH="$dirs:$PATH"
  CNI_BIN="$("$here/toolchain/ensure.sh" cni-plugins 2>/dev/null)"
}

# start_in CLUSTER NAME COMMAND...: runs COMMAND in the cluster's namespace, logged, pid recorded.
# setsid+nsenter, not `ip netns exec`: that one remounts /sys in a private mount namespace, which
# hides the cgroup hierarchies and splits kubelet's volume mounts from containerd's.
start_in() {
  local c="$1" name="$2"; shift 2
  setsid nsenter --net="/run/netns/${NETNS[$c]}" -- "$@" >"$root/$c/logs/$name.log" 2>&1 &
  echo "$!" >>"$root/$c/pids"
}

control_plane_up() { # CLUSTER DIR NODE_IP
  local c="$1" d="$2" ip="$3" api="https://$3:6443"
  log "cluster $c: etcd, kube-apiserver"
  start_in "$c" etcd etcd --name "lab-$c" --data-dir "$d/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster "lab-$c=http://127.0.0.1:2380" --initial-cluster-state new --listen-metrics-urls http://127.0.0.1:2381
  wait_for "etcd of $c" 60 in_netns "${NETNS[$c]}" curl -sf http://127.0.0.1:2379/readyz
  start_in "$c" kube-apiserver kube-apiserver --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=0.0.0.0 --secure-port=6443 --advertise-address="$ip" \
    --tls-cert-file="$d/pki/apiserver.crt" --tls-private-key-file="$d/pki/apiserver.key" --client-ca-file="$d/pki/ca.crt" \
    --kubelet-client-certificate="$d/pki/apiserver-kubelet-client.crt" --kubelet-client-key="$d/pki/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="$d/pki/ca.crt" --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$d/pki/sa.pub" --service-account-signing-key-file="$d/pki/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 --service-node-port-range="${PORTS[$c]}" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=false
  wait_for "kube-apiserver of $c" 120 kubectl --kubeconfig "$d/admin.kubeconfig" get --raw /readyz
  log "cluster $c: controller-manager, scheduler"
  start_in "$c" kube-controller-manager kube-controller-manager --kubeconfig="$d/kcm.kubeconfig" \
    --authentication-kubeconfig="$d/kcm.kubeconfig" --authorization-kubeconfig="$d/kcm.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=10257 --leader-elect=false --use-service-account-credentials=true --controllers='*' \
    --service-account-private-key-file="$d/pki/sa.key" --root-ca-file="$d/pki/ca.crt" \
    --cluster-signing-cert-file="$d/pki/ca.crt" --cluster-signing-key-file="$d/pki/ca.key" --service-cluster-ip-range=10.96.0.0/16
  start_in "$c" kube-scheduler kube-scheduler --kubeconfig="$d/sched.kubeconfig" \
    --authentication-kubeconfig="$d/sched.kubeconfig" --authorization-kubeconfig="$d/sched.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false
}

# The node's storage: local PersistentVolumes (no provisioner) in a default StorageClass that
# binds on first consumer, as on a cluster with pre-provisioned local disks. fsGroup applies to
# local volumes (not to hostPath), so the pods' UID 1000 can write them.
storage() { # CLUSTER DIR NODE_NAME
  local c="$1" d="$2" name="$3" i
  cat <<YAML
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: lab-local, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Retain
YAML
  for i in $(seq -w 1 "$PV_COUNT"); do
    mkdir -p "$d/pv/$i"
    cat <<YAML
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: lab-$c-local-$i, labels: {qstack.io/lab: "true"}}
spec:
  capacity: {storage: 1Ti}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: lab-local
  local: {path: "$d/pv/$i"}
  nodeAffinity:
    required:
      nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [$name]}]}]
YAML
  done
}

up_cluster() {
  local c="$1" d="$root/$1" ip="${NODE_IP[$1]}" name="lab-$1-node"
  if [ -f "$d/pids" ] && all_alive "$d/pids"; then log "cluster $c already running"; return; fi
  down_cluster "$c"
  rm -rf "$d" && mkdir -p "$d/logs"
  certs "$d/pki" "$ip"
  node_certs "$d/pki" "$name" "$ip"
  local api="https://$ip:6443"
  kubeconfig "$d/admin.kubeconfig" "$api" "$d/pki" admin
  kubeconfig "$d/kcm.kubeconfig" "$api" "$d/pki" kube-controller-manager
  kubeconfig "$d/sched.kubeconfig" "$api" "$d/pki" kube-scheduler
  cp "$d/admin.kubeconfig" "$d/kubeconfig"
  control_plane_up "$c" "$d" "$ip"
  node_up "$c" "$d" "$name" "$ip"
  storage "$c" "$d" "$name" | kubectl --kubeconfig "$d/admin.kubeconfig" apply -f - >/dev/null
  log "cluster $c: up ($api, node $name at $ip, NodePorts ${PORTS[$c]})"
}

down_cluster() {
  local c="$1" d="$root/$1"
  [ -d "$d" ] || return 0
  stop_recorded "$d/pids"
  node_down "$c" "$d"
  log "cluster $c: stopped"
}

case "${1:-}" in
  up)
    install_debian_packages lab "$here/nodes/debian-packages"
    toolchain_path
    LAB_IMAGES=()
    while read -r image; do LAB_IMAGES+=("$image"); done < <(cd "$(dirname "$here")" && npx --no-install ts-node --transpile-only lab/images/build-images.ts)
    # Each archive's name as its own index.json gives it, listed in $root/images for the stacks'
    # image keys (lab/real-lab.ts). The sandbox image is pinned (none can be pulled): whichever
    # archive names qstack-lab/pause.
    PAUSE_IMAGE=""
    mkdir -p "$root" && : >"$root/images"
    for image in "${LAB_IMAGES[@]}"; do
      name="$(tar -xOf "$image" index.json | sed -n 's/.*"io.containerd.image.name":"\([^"]*\)".*/\1/p')"
      [ -n "$name" ] || { log "$image: index.json names no image"; exit 1; }
      printf '%s %s\n' "$name" "$image" >>"$root/images"
      case "$name" in */qstack-lab/pause:*) PAUSE_IMAGE="$name" ;; esac
    done
    [ -n "$PAUSE_IMAGE" ] || { log "no qstack-lab/pause image among: ${LAB_IMAGES[*]}"; exit 1; }
    net_up
    for c in "${CLUSTERS[@]}"; do up_cluster "$c"; done
    for c in "${CLUSTERS[@]}"; do echo "$c $root/$c/kubeconfig ${NODE_IP[$c]} ${PORTS[$c]}"; done ;;
  down)
    for c in "${CLUSTERS[@]}"; do down_cluster "$c"; done
    net_down
    rm -rf "$root" ;;
  status)
    for c in "${CLUSTERS[@]}"; do
      if [ -f "$root/$c/pids" ] && all_alive "$root/$c/pids"; then echo "$c up"; else echo "$c down"; fi
    done ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
