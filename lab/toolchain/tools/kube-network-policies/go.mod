// Pins kube-network-policies; build.sh builds it from its own module (patched), so this module
// only fixes the version and, through go.sum, the checksum of what is downloaded.
module qstack.local/lab/toolchain/kube-network-policies

go 1.26.0

require sigs.k8s.io/kube-network-policies v0.8.0
