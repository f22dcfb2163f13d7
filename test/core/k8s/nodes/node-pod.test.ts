import assert from "node:assert/strict";
import { resolveConfig } from "../../../../core/config/resolve-config";
import { buildNodePodSpec, buildNodeStatefulSetSpec } from "../../../../core/k8s/nodes/node-pod";
import { buildExternalServiceSpec, buildInternalServiceSpec } from "../../../../core/k8s/nodes/node-services";
import { buildIngressSpec } from "../../../../core/k8s/ingress";
import { chooseExportedNode, parseKubeconfig } from "../../../../core/k8s/nodes/node-address";

const config = resolveConfig({ org: "org-a", nodes: [{ name: "v1" }, { name: "m1", role: "member", tessera: false }] });
const [v1, m1] = config.nodes;
const pod = buildNodePodSpec(config, v1, "v1-keys-0123abcd") as any;

describe("core/k8s/nodes/node-pod", () => {
    it("runs as non-root with RuntimeDefault seccomp and no service-account token", () => {
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.equal(pod.securityContext.runAsUser, 1000);
        assert.equal(pod.securityContext.fsGroup, 1000);
        assert.deepEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
        assert.equal(pod.automountServiceAccountToken, false);
    });
    it("locks every container down: no privilege escalation, read-only root, all capabilities dropped", () => {
        for (const c of [...pod.initContainers, ...pod.containers]) {
            assert.deepEqual(c.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } }, c.name);
            assert.ok(c.resources.requests.cpu && c.resources.limits.memory, `${c.name} has requests and limits`);
        }
    });
    it("initializes geth first, then starts Tessera as a native sidecar gated by /upcheck", () => {
        assert.deepEqual(pod.initContainers.map((c: any) => c.name), ["geth-init", "tessera"]);
        const tessera = pod.initContainers[1];
        assert.equal(tessera.restartPolicy, "Always");
        assert.equal(tessera.startupProbe.httpGet.path, "/upcheck");
        assert.deepEqual(tessera.command, ["/tessera/bin/tessera", "-configfile", "/qstack/tessera/tessera-config.json"]);
    });
    it("has readiness and liveness probes on geth and Tessera", () => {
        const geth = pod.containers[0];
        assert.ok(geth.readinessProbe && geth.livenessProbe);
        assert.ok(pod.initContainers[1].readinessProbe && pod.initContainers[1].livenessProbe);
    });
    it("reads keys only from the node's Secret and configuration only from ConfigMaps", () => {
        const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
        assert.equal(volumes.keys.secret.secretName, "v1-keys-0123abcd");
        assert.equal(volumes.keys.secret.defaultMode, 0o440);
        for (const name of ["genesis", "static-nodes", "permissioned-nodes", "tessera-config"]) assert.ok(volumes[name].configMap, name);
    });
    it("mounts peer lists as directories (no subPath) so ConfigMap updates reach running pods", () => {
        for (const c of pod.containers) for (const m of c.volumeMounts) assert.equal(m.subPath, undefined);
    });
    it("leaves Tessera out entirely for a node without it", () => {
        const member = buildNodePodSpec(config, m1, "m1-keys-0123abcd") as any;
        assert.deepEqual(member.initContainers.map((c: any) => c.name), ["geth-init"]);
        assert.ok(!member.volumes.some((v: any) => v.name === "tessera-config"));
        assert.ok(!member.containers[0].args.some((a: string) => a.startsWith("--ptm")));
    });
    it("is a one-replica StatefulSet with a data volume claim and Prometheus scrape annotations", () => {
        const sts = buildNodeStatefulSetSpec(config, v1, "v1-keys-0123abcd") as any;
        assert.equal(sts.replicas, 1);
        assert.deepEqual(sts.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
        assert.equal(sts.volumeClaimTemplates[0].spec.resources.requests.storage, "10Gi");
        assert.equal(sts.template.metadata.annotations["prometheus.io/port"], "9545");
        assert.equal(sts.template.metadata.labels["app.kubernetes.io/part-of"], "qstack");
        assert.deepEqual(sts.selector.matchLabels, { "app.kubernetes.io/name": "goquorum", "app.kubernetes.io/instance": "v1" });
    });
});

describe("core/k8s/nodes/node-services", () => {
    it("publishes only p2p, Tessera P2P (and raft) on the NodePort Service, never RPC", () => {
        const ext = buildExternalServiceSpec(config, v1) as any;
        assert.equal(ext.type, "NodePort");
        assert.deepEqual(ext.ports.map((p: any) => p.port), [30303, 9000]);
        const raft = resolveConfig({ org: "o", consensus: "raft", nodes: [{ name: "r1", nodePorts: { raft: 31000 } }] });
        const raftExt = buildExternalServiceSpec(raft, raft.nodes[0]) as any;
        assert.deepEqual(raftExt.ports.map((p: any) => [p.port, p.nodePort]), [[30303, undefined], [9000, undefined], [50400, 31000]]);
    });
    it("serves RPC, WS, metrics and Tessera in-cluster on the ClusterIP Service", () => {
        const int = buildInternalServiceSpec(config, v1) as any;
        assert.equal(int.type, "ClusterIP");
        assert.deepEqual(int.ports.map((p: any) => p.name), ["http", "ws", "metrics", "p2p", "tm-p2p", "tm-thirdparty"]);
    });
});

describe("core/k8s/ingress", () => {
    it("routes one host per node to the RPC port", () => {
        const c = resolveConfig({ org: "o", ingress: { enabled: true, host: "rpc.example.com", tlsSecretName: "rpc-tls" }, nodes: [{ name: "v1" }] });
        const spec = buildIngressSpec(c) as any;
        assert.equal(spec.rules[0].host, "v1.rpc.example.com");
        assert.equal(spec.rules[0].http.paths[0].backend.service.port.number, 8545);
        assert.deepEqual(spec.tls, [{ hosts: ["v1.rpc.example.com"], secretName: "rpc-tls" }]);
    });
});

describe("core/k8s/nodes/node-address", () => {
    const ready = [{ type: "Ready", status: "True" }];
    it("prefers a Ready node's ExternalIP, then its InternalIP, choosing nodes by name", () => {
        assert.deepEqual(
            chooseExportedNode([
                { metadata: { name: "b", labels: { "kubernetes.io/hostname": "host-b" } }, status: { conditions: ready, addresses: [{ type: "ExternalIP", address: "203.0.113.2" }] } },
                { metadata: { name: "a", labels: { "kubernetes.io/hostname": "host-a" } }, status: { conditions: ready, addresses: [{ type: "InternalIP", address: "10.0.0.1" }] } },
                { metadata: { name: "0" }, status: { conditions: [{ type: "Ready", status: "False" }], addresses: [{ type: "InternalIP", address: "10.0.0.9" }] } },
            ]),
            { address: "10.0.0.1", hostname: "host-a" },
        );
    });
    it("explains how to proceed when no node qualifies", () => {
        assert.throws(() => chooseExportedNode([]), /qstack:nodeIp: cannot discover the node IP.*set qstack:nodeIp/);
    });
    it("reads server and client certificates from a kubeconfig", () => {
        const kc = `apiVersion: v1
current-context: lab
contexts: [{name: lab, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "https://127.0.10.1:6443", certificate-authority-data: ${Buffer.from("CA").toString("base64")}}}]
users: [{name: u, user: {client-certificate-data: ${Buffer.from("CERT").toString("base64")}, client-key-data: ${Buffer.from("KEY").toString("base64")}}}]
`;
        const c = parseKubeconfig(kc);
        assert.equal(c.server, "https://127.0.10.1:6443");
        assert.equal(c.caData, "CA");
        assert.equal(c.certData, "CERT");
        assert.equal(c.keyData, "KEY");
    });
    it("refuses exec-plugin users with a hint to set qstack:nodeIp", () => {
        const kc = `current-context: x
contexts: [{name: x, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "https://k"}}]
users: [{name: u, user: {exec: {command: aws}}}]`;
        assert.throws(() => parseKubeconfig(kc), /exec\/auth-provider plugin.*qstack:nodeIp/);
    });
});
