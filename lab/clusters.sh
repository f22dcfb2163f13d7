#!/usr/bin/env bash
# Two simulated Kubernetes clusters on loopback, each with its own etcd, control plane, kwok
# (simulated node and pods), fake node IP and NodePort range:
#
#   cluster  node IP      NodePorts     etcd                  apiserver
#   a        127.0.10.1   30000-30999   127.0.10.1:2379/2380  https://127.0.10.1:6443
#   b        127.0.20.1   31000-31999   127.0.20.1:2379/2380  https://127.0.20.1:6443
#
# kwok has no storage provisioner, so the lab pre-creates PersistentVolumes (no StorageClass)
# for claims to bind to, as an operator of a cluster without dynamic provisioning would.
#
# Usage: clusters.sh up|down|status     State lives in $QSTACK_LAB_DIR (default <repo>/.lab).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lab="${QSTACK_LAB_DIR:-$(dirname "$here")/.lab}"
cache="${QSTACK_CACHE:-$HOME/.cache/qstack}"
CLUSTERS=(a b)
declare -A IP=([a]=127.0.10.1 [b]=127.0.20.1)
declare -A PORTS=([a]=30000-30999 [b]=31000-31999)
declare -A POD_CIDR=([a]=10.1.0.0/24 [b]=10.2.0.0/24)
PV_COUNT="${QSTACK_LAB_PVS:-48}"

source "$here/lib/cluster-common.sh"

toolchain_path() {
  local dirs
  dirs="$("$here/toolchain/ensure.sh" etcd kubernetes kwok | paste -sd:)"
  export PATH="$dirs:$PATH"
}

start() { # cluster name logfile cmd...
  local c="$1" name="$2"; shift 2
  "$@" >"$lab/clusters/$c/logs/$name.log" 2>&1 &
  echo "$!" >>"$lab/clusters/$c/pids"
}

up_cluster() {
  local c="$1" ip="${IP[$1]}" dir="$lab/clusters/$1"
  local api="https://$ip:6443" stages="${GOMODCACHE:-$cache/go/pkg/mod}/sigs.k8s.io/kwok@v0.8.0/kustomize/stage"
  if [ -f "$dir/pids" ] && all_alive "$dir/pids"; then log "cluster $c already running"; return; fi
  rm -rf "$dir" && mkdir -p "$dir/logs" "$dir/pv"
  certs "$dir/pki" "$ip"
  kubeconfig "$dir/kubeconfig" "$api" "$dir/pki" admin
  kubeconfig "$dir/kcm.kubeconfig" "$api" "$dir/pki" kube-controller-manager
  kubeconfig "$dir/sched.kubeconfig" "$api" "$dir/pki" kube-scheduler
  log "cluster $c: etcd"
  start "$c" etcd etcd --name "lab-$c" --data-dir "$dir/etcd" \
    --listen-client-urls "http://$ip:2379" --advertise-client-urls "http://$ip:2379" \
    --listen-peer-urls "http://$ip:2380" --initial-advertise-peer-urls "http://$ip:2380" \
    --initial-cluster "lab-$c=http://$ip:2380" --initial-cluster-state new --listen-metrics-urls "http://$ip:2381"
  wait_for "etcd $c" 120 curl -sf "http://$ip:2379/readyz"
  log "cluster $c: kube-apiserver"
  start "$c" kube-apiserver kube-apiserver --etcd-servers="http://$ip:2379" \
    --bind-address="$ip" --secure-port=6443 --advertise-address="$ip" \
    --tls-cert-file="$dir/pki/apiserver.crt" --tls-private-key-file="$dir/pki/apiserver.key" --client-ca-file="$dir/pki/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$dir/pki/sa.pub" --service-account-signing-key-file="$dir/pki/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 --service-node-port-range="${PORTS[$c]}" \
    --authorization-mode=Node,RBAC --allow-privileged=true --endpoint-reconciler-type=none \
    --kubelet-preferred-address-types=InternalIP
  wait_for "apiserver $c" 120 kubectl --kubeconfig "$dir/kubeconfig" get --raw /readyz
  log "cluster $c: controller-manager, scheduler, kwok"
  start "$c" kube-controller-manager kube-controller-manager --kubeconfig="$dir/kcm.kubeconfig" \
    --authentication-kubeconfig="$dir/kcm.kubeconfig" --authorization-kubeconfig="$dir/kcm.kubeconfig" \
    --bind-address="$ip" --secure-port=10257 --leader-elect=false --use-service-account-credentials=true --controllers='*' \
    --service-account-private-key-file="$dir/pki/sa.key" --root-ca-file="$dir/pki/ca.crt" \
    --cluster-signing-cert-file="$dir/pki/ca.crt" --cluster-signing-key-file="$dir/pki/ca.key" --service-cluster-ip-range=10.96.0.0/16
  start "$c" kube-scheduler kube-scheduler --kubeconfig="$dir/sched.kubeconfig" \
    --authentication-kubeconfig="$dir/sched.kubeconfig" --authorization-kubeconfig="$dir/sched.kubeconfig" \
    --bind-address="$ip" --secure-port=10259 --leader-elect=false
  local exec_config; exec_config="$(pod_shim)"
  # The stand-ins first on kwok's own PATH too: kwok resolves the exec'd command with it.
  start "$c" kwok env PATH="$lab/clusters/pod-shim/bin:$PATH" kwok --kubeconfig="$dir/kubeconfig" --manage-all-nodes=true --node-lease-duration-seconds=40 \
    --cidr="${POD_CIDR[$c]}" --node-ip="$ip" --server-address="$ip:10247" --node-port=10247 \
    --tls-cert-file="$dir/pki/apiserver.crt" --tls-private-key-file="$dir/pki/apiserver.key" --config="$exec_config" \
    --config="$stages/node/fast/node-initialize.yaml" \
    --config="$stages/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    --config="$stages/pod/fast/pod-ready.yaml" --config="$stages/pod/fast/pod-complete.yaml" --config="$stages/pod/fast/pod-delete.yaml"
  objects "$c" | kubectl --kubeconfig "$dir/kubeconfig" apply -f - >/dev/null
  wait_for "node of $c Ready" 120 kubectl --kubeconfig "$dir/kubeconfig" wait --for=condition=Ready "node/lab-$c-node" --timeout=1s
  log "cluster $c: up ($api, node IP $ip, NodePorts ${PORTS[$c]})"
}

# kwok runs no containers. So that `kubectl exec` (qctl status, qctl geth) still travels the
# real path, API server -> kubelet API -> container, kwok serves the kubelet API and runs exec
# commands on this host with a stand-in geth and wget first on PATH (test/helpers/fake-geth.js:
# fixed answers, not GoQuorum). Prints the kwok config file (a ClusterExec for every pod).
pod_shim() {
  local shim="$lab/clusters/pod-shim" repo; repo="$(dirname "$here")"
  mkdir -p "$shim/bin"
  ln -sf "$repo/test/helpers/fake-geth.js" "$shim/bin/geth"
  printf '#!/bin/sh\necho "I'"'"'m up!"\n' >"$shim/bin/wget" && chmod +x "$shim/bin/wget"
  [ -f "$shim/chain.json" ] || echo '{"nodes":{"*":{"block":42,"peers":3,"validator":true}},"txs":[],"faults":{},"block":42}' >"$shim/chain.json"
  cat >"$shim/exec.yaml" <<YAML
kind: ClusterExec
apiVersion: kwok.x-k8s.io/v1alpha1
metadata: {name: lab-stand-in-geth}
spec:
  execs:
  - local:
      envs:
      - {name: PATH, value: "$shim/bin:$PATH"}
      - {name: FAKE_CHAIN, value: "$shim/chain.json"}
YAML
  echo "$shim/exec.yaml"
}

objects() { # the fake node and the pre-provisioned volumes of cluster $1
  local c="$1" ip="${IP[$1]}"
  cat <<YAML
apiVersion: v1
kind: Node
metadata:
  name: lab-$c-node
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/arch: amd64, kubernetes.io/hostname: lab-$c-node, kubernetes.io/os: linux, type: kwok}
spec: {}
status:
  addresses: [{type: InternalIP, address: "$ip"}, {type: Hostname, address: lab-$c-node}]
  allocatable: {cpu: "64", memory: 512Gi, pods: "500"}
  capacity: {cpu: "64", memory: 512Gi, pods: "500"}
  nodeInfo: {architecture: amd64, operatingSystem: linux, kubeletVersion: fake, kubeProxyVersion: fake}
YAML
  for i in $(seq -w 1 "$PV_COUNT"); do
    cat <<YAML
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: lab-$c-pv-$i, labels: {qstack.io/lab: "true"}}
spec:
  capacity: {storage: 1Ti}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: "$lab/clusters/$c/pv/$i", type: DirectoryOrCreate}
YAML
  done
}

down_cluster() {
  local dir="$lab/clusters/$1"
  [ -f "$dir/pids" ] || return 0
  stop_recorded "$dir/pids"
  log "cluster $1: stopped"
}

case "${1:-}" in
  up) toolchain_path; for c in "${CLUSTERS[@]}"; do up_cluster "$c"; done
      for c in "${CLUSTERS[@]}"; do echo "$c $lab/clusters/$c/kubeconfig ${IP[$c]} ${PORTS[$c]}"; done ;;
  down) for c in "${CLUSTERS[@]}"; do down_cluster "$c"; done ;;
  status) for c in "${CLUSTERS[@]}"; do
            if [ -f "$lab/clusters/$c/pids" ] && all_alive "$lab/clusters/$c/pids"; then echo "$c up"; else echo "$c down"; fi
          done ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
