#!/usr/bin/env bash
# One real Kubernetes node inside a cluster's network namespace: containerd + runc, CNI (bridge,
# host-local, loopback, portmap), kubelet, kube-proxy (nftables), CoreDNS and the NetworkPolicy
# engine kube-network-policies (patched to give its verdicts through xt_NFQUEUE, which this
# kernel has, instead of nft's queue expression, which it lacks: ../toolchain/tools/
# kube-network-policies/build.sh). Every path, socket and cgroup is the node's own, so two nodes
# share one host without touching each other or the host's global state. Sourced by
# ../real-clusters.sh, which provides log, start_in, wait_for, sign_cert, kubeconfig and the
# cluster's directory layout.
#
# What each setting avoids is measured in ../../../shared/docs/real-nodes-notes.md.

CGROUP_HIERARCHIES=(cpu cpuacct cpuset memory devices freezer blkio pids systemd)
declare -A POD_CIDR=([a]=10.214.1.0/24 [b]=10.214.2.0/24)

# kubelet's cgroupRoot must exist in every v1 hierarchy; cpuset needs its cpus and mems filled in.
cgroups_up() {
  local root="$1" h
  for h in "${CGROUP_HIERARCHIES[@]}"; do mkdir -p "/sys/fs/cgroup/$h/$root"; done
  cat /sys/fs/cgroup/cpuset/cpuset.cpus >"/sys/fs/cgroup/cpuset/$root/cpuset.cpus"
  cat /sys/fs/cgroup/cpuset/cpuset.mems >"/sys/fs/cgroup/cpuset/$root/cpuset.mems"
}

# Kills whatever still runs in the node's cgroups (pod processes whose shim is gone), then
# removes the cgroups deepest first.
cgroups_down() {
  local root="$1" h d p
  for h in "${CGROUP_HIERARCHIES[@]}"; do
    [ -d "/sys/fs/cgroup/$h/$root" ] || continue
    while read -r p; do kill -9 "$p" 2>/dev/null || true; done < <(find "/sys/fs/cgroup/$h/$root" -name cgroup.procs -exec cat {} + 2>/dev/null)
  done
  sleep 0.5
  for h in "${CGROUP_HIERARCHIES[@]}"; do
    [ -d "/sys/fs/cgroup/$h/$root" ] || continue
    find "/sys/fs/cgroup/$h/$root" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

node_certs() { # PKI NODE_NAME NODE_IP
  local d="$1" name="$2" ip="$3"
  sign_cert "$d" kubelet "/O=system:nodes/CN=system:node:$name" "$CLIENT_EXT"
  sign_cert "$d" kubelet-serving "/O=system:nodes/CN=system:node:$name" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:$ip,DNS:$name"
  sign_cert "$d" apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$CLIENT_EXT"
  sign_cert "$d" kube-proxy "/CN=system:kube-proxy" "$CLIENT_EXT"
}

containerd_config() { # DIR RUNC CNI_BIN
  local d="$1"
  cat <<TOML
version = 3
root = "$d/containerd/root"
state = "$d/containerd/state"
temp = "$d/containerd/tmp"

[grpc]
  address = "$d/containerd/containerd.sock"
[ttrpc]
  address = "$d/containerd/containerd.sock.ttrpc"
[debug]
  address = "$d/containerd/debug.sock"

[plugins."io.containerd.internal.v1.opt"]
  path = "$d/containerd/opt"
[plugins."io.containerd.nri.v1.nri"]
  disable = true
[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "$PAUSE_IMAGE"
[plugins."io.containerd.cri.v1.runtime"]
  # Root here lacks CAP_SYS_RESOURCE: without this every sandbox fails writing oom_score_adj.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.cri.v1.runtime".cni]
    conf_dir = "$d/cni/net.d"
    bin_dirs = ["$3"]
  [plugins."io.containerd.cri.v1.runtime".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
        BinaryName = "$2"
        SystemdCgroup = false
TOML
}

cni_config() { # DIR POD_CIDR
  cat <<JSON
{
  "cniVersion": "1.0.0",
  "name": "qlab",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "hairpinMode": true,
      "ipMasq": true, "ipMasqBackend": "nftables",
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$2" }]], "routes": [{ "dst": "0.0.0.0/0" }], "dataDir": "$1/cni/ipam" }
    },
    { "type": "portmap", "capabilities": { "portMappings": true }, "backend": "nftables" }
  ]
}
JSON
}

kubelet_config() { # DIR NODE_IP CGROUP_ROOT
  local d="$1"
  cat <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine has cgroup v1 hierarchies only; kubelet refuses them since 1.35 unless told.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: /$3
containerRuntimeEndpoint: unix://$d/containerd/containerd.sock
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $d/pki/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $d/pki/kubelet-serving.crt
tlsPrivateKeyFile: $d/pki/kubelet-serving.key
address: $2
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
clusterDomain: cluster.local
clusterDNS: [$2]
# No host DNS leaks into pods: the only resolver is the cluster's CoreDNS.
resolvConf: $d/resolv.conf
podLogsDir: $d/pod-logs
failSwapOn: false
makeIPTablesUtilChains: false
serializeImagePulls: false
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%}
imageGCHighThresholdPercent: 100
YAML
}

kube_proxy_config() { # DIR NODE_NAME POD_CIDR
  cat <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clientConnection: {kubeconfig: $1/kube-proxy.kubeconfig}
hostnameOverride: $2
clusterCIDR: $3
nodePortAddresses: [${NODE_IP_CIDR}]
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# Zero leaves the host's global conntrack sysctls alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
}

corefile() { # DIR NODE_IP
  cat <<COREFILE
.:53 {
    bind $2
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $1/admin.kubeconfig lab
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 10
}
COREFILE
}

# node_up CLUSTER DIR NODE_NAME NODE_IP: starts the node's processes in the cluster's namespace.
node_up() {
  local c="$1" d="$2" name="$3" ip="$4" api="https://$4:6443"
  mkdir -p "$d/containerd" "$d/cni/net.d" "$d/cni/ipam" "$d/kubelet" "$d/pod-logs" "$d/pv"
  kubeconfig "$d/kubelet.kubeconfig" "$api" "$d/pki" kubelet
  kubeconfig "$d/kube-proxy.kubeconfig" "$api" "$d/pki" kube-proxy
  echo "# qstack lab: no upstream resolver" >"$d/resolv.conf"
  containerd_config "$d" "$(command -v runc)" "$CNI_BIN" >"$d/containerd/config.toml"
  cni_config "$d" "${POD_CIDR[$c]}" >"$d/cni/net.d/10-qlab.conflist"
  kubelet_config "$d" "$ip" "qlab-$c" >"$d/kubelet.yaml"
  NODE_IP_CIDR="$ip/32" kube_proxy_config "$d" "$name" "${POD_CIDR[$c]}" >"$d/kube-proxy.yaml"
  corefile "$d" "$ip" >"$d/Corefile"
  cgroups_up "qlab-$c"

  log "cluster $c: containerd"
  start_in "$c" containerd containerd --config "$d/containerd/config.toml"
  wait_for "containerd of $c" 60 ctr --address "$d/containerd/containerd.sock" version
  for image in "${LAB_IMAGES[@]}"; do
    ctr --address "$d/containerd/containerd.sock" -n k8s.io images import --local "$image" >/dev/null
  done
  log "cluster $c: kubelet, kube-proxy, CoreDNS, kube-network-policies"
  start_in "$c" kubelet kubelet --config "$d/kubelet.yaml" --kubeconfig "$d/kubelet.kubeconfig" \
    --root-dir "$d/kubelet" --cert-dir "$d/pki/kubelet-certs" --node-ip "$ip" --hostname-override "$name"
  start_in "$c" kube-proxy kube-proxy --config "$d/kube-proxy.yaml"
  start_in "$c" coredns coredns -conf "$d/Corefile"
  # Fail closed (no --fail-open): a policed pod's new connections wait for the engine's verdict.
  start_in "$c" kube-network-policies kube-network-policies --kubeconfig "$d/admin.kubeconfig" \
    --hostname-override "$name" --disable-nri --netfilter-bug-1766-fix=false \
    --metrics-bind-address 127.0.0.1:9080
  wait_for "node $name Ready" 120 kubectl --kubeconfig "$d/admin.kubeconfig" wait --for=condition=Ready "node/$name" --timeout=1s
}

# node_down CLUSTER DIR: after the node's processes are stopped, removes what they left behind:
# mounts under DIR, the cgroups, the node's nftables tables (they live in its namespace, which
# net_down deletes), and kubelet's and go-cni's entries in the host's fixed paths.
node_down() {
  local c="$1" d="$2" m id
  # Shims outlive containerd by design (their own session, reparented to init); they hold the
  # cluster's network namespace open, so they go first.
  pkill -9 -f -- "-address $d/containerd/containerd.sock" 2>/dev/null || true
  for id in $(ls "$d/containerd/root/io.containerd.grpc.v1.cri/sandboxes" 2>/dev/null); do
    rm -f /var/lib/cni/results/*-"$id"-* 2>/dev/null || true
  done
  while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(awk -v p="$d" '$5 ~ "^"p {print $5}' /proc/self/mountinfo | sort -r)
  cgroups_down "qlab-$c"
  find /var/log/containers -maxdepth 1 -lname "$d/*" -delete 2>/dev/null || true
}
