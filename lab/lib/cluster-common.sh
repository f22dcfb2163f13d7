#!/usr/bin/env bash
# Shared by the lab's cluster scripts (clusters.sh: kwok-simulated nodes; real-clusters.sh:
# real nodes in network namespaces): logging, a cluster CA and certificates, kubeconfigs,
# waiting with a deadline, and stopping recorded processes. Sourced, not run.

log() { printf '[lab] %s\n' "$*" >&2; }

# sign_cert DIR NAME SUBJECT EXTENSIONS: a key and certificate signed by DIR/ca.{crt,key}.
sign_cert() {
  local d="$1" name="$2" subject="$3" ext="$4"
  openssl req -new -newkey rsa:2048 -nodes -subj "$subject" -keyout "$d/$name.key" -out "$d/$name.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$d/$name.ext"
  openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 3650 -extfile "$d/$name.ext" -out "$d/$name.crt" 2>/dev/null
  rm -f "$d/$name.csr" "$d/$name.ext"
}

CLIENT_EXT="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"

# certs DIR IP: the cluster CA, the API server's serving certificate for IP, the control plane's
# client certificates and the service-account key pair.
certs() {
  local d="$1" ip="$2"
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=qstack-lab-ca" -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  sign_cert "$d" apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:$ip,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  sign_cert "$d" admin "/O=system:masters/CN=kubernetes-admin" "$CLIENT_EXT"
  sign_cert "$d" kube-controller-manager "/CN=system:kube-controller-manager" "$CLIENT_EXT"
  sign_cert "$d" kube-scheduler "/CN=system:kube-scheduler" "$CLIENT_EXT"
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
}

# kubeconfig FILE SERVER PKI USER
kubeconfig() {
  local f="$1"
  kubectl config set-cluster lab --server="$2" --certificate-authority="$3/ca.crt" --embed-certs=true --kubeconfig="$f" >/dev/null
  kubectl config set-credentials "$4" --client-certificate="$3/$4.crt" --client-key="$3/$4.key" --embed-certs=true --kubeconfig="$f" >/dev/null
  kubectl config set-context lab --cluster=lab --user="$4" --kubeconfig="$f" >/dev/null
  kubectl config use-context lab --kubeconfig="$f" >/dev/null
}

# wait_for DESCRIPTION SECONDS COMMAND...: retries every 0.5 s; names what it waited for on timeout.
wait_for() {
  local what="$1" seconds="$2"; shift 2
  local tries=$((seconds * 2))
  for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  log "gave up after $seconds s waiting for $what"; return 1
}

all_alive() { local p; while read -r p; do kill -0 "$p" 2>/dev/null || return 1; done <"$1"; }

# stop_recorded PIDFILE: stops the processes listed in PIDFILE, last started first.
stop_recorded() {
  local file="$1" pids=() p i
  [ -f "$file" ] || return 0
  mapfile -t pids <"$file"
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    p="${pids[i]}"
    kill "$p" 2>/dev/null || continue
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  rm -f "$file"
}
