import assert from "node:assert/strict";
import { DEFAULTS } from "../../../../core/config/schema";
import { CONFIG_CHECKSUM_ANNOTATION, configChecksum } from "../../../../core/k8s/config-checksum";
import { imageTag } from "../../../../core/k8s/labels";
import {
    EXPLORER_CONFIG_FILE,
    EXPLORER_PORT,
    buildCakeshopNodes,
    buildExplorerDeploymentSpec,
    buildExplorerServiceSpec,
} from "../../../../core/k8s/addons/explorer";
import { QstackError } from "../../../../core/errors";

const nodes = [
    { name: "validator2", tessera: true },
    { name: "member1", tessera: false },
    { name: "validator1", tessera: true },
];
const file = buildCakeshopNodes("org-a", nodes);
const args = { org: "org-a", image: DEFAULTS.explorerImage, configMapName: "qstack-cakeshop-config" };
const checksum = configChecksum(file);
const deployment = buildExplorerDeploymentSpec(args, checksum) as any;
const pod = deployment.template.spec;
const container = pod.containers[0];

function bytes(s: string): number {
    const m = /^(\d+)(Mi|Gi|m|M|g|G)$/.exec(s);
    assert.ok(m, `parsable size ${s}`);
    const unit: Record<string, number> = { Mi: 2 ** 20, m: 2 ** 20, M: 2 ** 20, Gi: 2 ** 30, g: 2 ** 30, G: 2 ** 30 };
    return Number(m[1]) * unit[m[2]];
}

describe("core/k8s/addons/explorer", () => {
    describe("nodes file", () => {
        it("lists every node exactly once with its Service DNS RPC URL", () => {
            const entries = JSON.parse(file);
            for (const n of nodes) {
                const matching = entries.filter((e: any) => e.name === n.name);
                assert.equal(matching.length, 1, n.name);
                assert.equal(matching[0].rpcUrl, `http://${n.name}.org-a.svc:8545`);
            }
            assert.equal(entries.length, nodes.length);
        });
        it("gives a Tessera ThirdParty URL only to nodes that run Tessera", () => {
            const byName = Object.fromEntries(JSON.parse(file).map((e: any) => [e.name, e]));
            assert.equal(byName.validator1.transactionManagerUrl, "http://validator1.org-a.svc:9080");
            assert.equal(byName.validator2.transactionManagerUrl, "http://validator2.org-a.svc:9080");
            assert.equal(byName.member1.transactionManagerUrl, "");
            assert.ok(!file.includes("member1.org-a.svc:9080"));
        });
        it("carries only the fields Cakeshop's NodeInfo reads", () => {
            for (const e of JSON.parse(file)) assert.deepEqual(Object.keys(e), ["name", "rpcUrl", "transactionManagerUrl"]);
        });
        it("never uses the *_SERVICE_HOST env vars that hid nodes added after Cakeshop started", () => {
            assert.ok(!/SERVICE_HOST|\$/.test(file));
        });
        it("is byte-identical for the same nodes, whatever their order", () => {
            assert.equal(buildCakeshopNodes("org-a", nodes), file);
            assert.equal(buildCakeshopNodes("org-a", [...nodes].reverse()), file);
            assert.equal(configChecksum(buildCakeshopNodes("org-a", [...nodes].reverse())), checksum);
        });
        it("changes, and so changes the checksum, when a node is added or its namespace differs", () => {
            const added = buildCakeshopNodes("org-a", [...nodes, { name: "member2", tessera: false }]);
            assert.notEqual(configChecksum(added), checksum);
            assert.notEqual(configChecksum(buildCakeshopNodes("org-b", nodes)), checksum);
        });
        it("rejects duplicate node names and an empty node list", () => {
            assert.throws(() => buildCakeshopNodes("org-a", [...nodes, { name: "member1", tessera: true }]), (e: unknown) => e instanceof QstackError && /duplicate node name.*member1/.test(e.message));
            assert.throws(() => buildCakeshopNodes("org-a", []), QstackError);
        });
    });

    describe("Deployment", () => {
        it("rolls the pod when the nodes file changes: its checksum is a pod template annotation", () => {
            assert.equal(deployment.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION], checksum);
            assert.match(checksum, /^[0-9a-f]{64}$/);
        });
        it("selects its pods with a stable subset of their labels, none of which is the goquorum name", () => {
            const labels = deployment.template.metadata.labels;
            for (const [k, v] of Object.entries(deployment.selector.matchLabels)) assert.equal(labels[k], v, k);
            assert.deepEqual(Object.keys(deployment.selector.matchLabels).sort(), ["app.kubernetes.io/instance", "app.kubernetes.io/name"]);
            assert.equal(labels["app.kubernetes.io/name"], "cakeshop");
            assert.notEqual(deployment.selector.matchLabels["app.kubernetes.io/name"], "goquorum");
            assert.equal(labels["app.kubernetes.io/version"], "0.12.1");
            assert.equal(labels["qstack.io/org"], "org-a");
        });
        it("runs non-root with a read-only root filesystem, no capabilities and no service-account token", () => {
            assert.equal(pod.securityContext.runAsNonRoot, true);
            assert.ok(pod.securityContext.runAsUser > 0);
            assert.deepEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
            assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
            assert.equal(pod.automountServiceAccountToken, false);
            assert.equal(pod.enableServiceLinks, false);
        });
        it("gives Cakeshop writable emptyDirs for exactly its data dir and /tmp", () => {
            const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
            const writable = container.volumeMounts.filter((m: any) => !m.readOnly);
            assert.deepEqual(writable.map((m: any) => m.mountPath).sort(), ["/cakeshop/data", "/tmp"]);
            for (const m of writable) assert.ok(volumes[m.name].emptyDir, m.mountPath);
            assert.ok(container.command.includes("-Dcakeshop.config.dir=/cakeshop/data"));
        });
        it("points cakeshop.initialnodes at the ConfigMap's nodes file", () => {
            const mount = container.volumeMounts.find((m: any) => m.name === "config");
            const volume = pod.volumes.find((v: any) => v.name === "config");
            assert.equal(volume.configMap.name, "qstack-cakeshop-config");
            assert.equal(mount.subPath, undefined);
            assert.ok(container.command.includes(`-Dcakeshop.initialnodes=${mount.mountPath}/${EXPLORER_CONFIG_FILE}`));
            assert.equal(container.command.at(-1), "/cakeshop/cakeshop.war");
        });
        it("caps the heap below the memory limit and sets requests and limits", () => {
            const xmx = container.command.find((a: string) => a.startsWith("-Xmx"));
            assert.ok(xmx, "has -Xmx");
            assert.ok(bytes(xmx.slice(4)) < bytes(container.resources.limits.memory));
            assert.ok(container.resources.requests.cpu && container.resources.requests.memory);
        });
        it("probes readiness and liveness over HTTP on the container port", () => {
            assert.deepEqual(container.ports, [{ name: "http", containerPort: EXPLORER_PORT }]);
            for (const p of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
                assert.equal(p.httpGet.port, "http");
                assert.match(p.httpGet.path, /^\/actuator\/health\//);
            }
            assert.ok(container.command.includes(`-Dserver.port=${EXPLORER_PORT}`));
        });
        it("pins the image: the default is never latest", () => {
            assert.match(DEFAULTS.explorerImage, /^quorumengineering\/cakeshop:\d+\.\d+\.\d+$/);
            assert.equal(container.image, DEFAULTS.explorerImage);
            assert.equal(imageTag("registry.example.com:5000/cakeshop"), "unknown");
            assert.equal(imageTag("quorumengineering/cakeshop:0.12.1@sha256:" + "0".repeat(64)), "0.12.1");
        });
    });

    describe("Service", () => {
        it("is ClusterIP only, one port named http, selecting the explorer's pods", () => {
            const svc = buildExplorerServiceSpec("org-a") as any;
            assert.equal(svc.type, "ClusterIP");
            assert.deepEqual(svc.ports.map((p: any) => [p.name, p.port, p.targetPort]), [["http", EXPLORER_PORT, "http"]]);
            assert.equal(svc.ports[0].nodePort, undefined);
            assert.deepEqual(svc.selector, deployment.selector.matchLabels);
        });
    });
});
