/**
 * Issue 12: the pods the stacks deploy, running on real nodes (kubelet, containerd, runc, CNI,
 * kube-proxy, CoreDNS) with GoQuorum 24.4.1 and Tessera 0.10.6-SNAPSHOT
 * built from source (lab/real-clusters.sh, lab/images). Runs the same two-organization handshake
 * as the simulated lab, then asserts on the running containers.
 *
 * Tessera here is 0.10.6-SNAPSHOT, not the 24.4.2 qstack deploys: what is proven about Tessera
 * is that this version accepts the generated config and serves /upcheck on it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { AutomationDriver } from "../../cli/network/automation-driver";
import type { ExternalNodesDocument } from "../../core/export/external-nodes";
import { names } from "../../core/k8s/labels";
import { PATHS } from "../../core/node/layout";
import { REAL_CLUSTERS, REAL_PROJECT_DIR, type ClusterName } from "../../lab/lab-env";
import { gethValue, isPodReady, kubectlIn, shellIn } from "../../lab/chain/real-node-console";
import { formatReport, type LabReport } from "../../lab/run-lab";
import { waitFor } from "../../lab/chain/deadline";
import { convergedRealLab } from "./lab-helpers";

const MINUTE = 60_000;
const CLUSTER_NAMES = Object.keys(REAL_CLUSTERS) as ClusterName[];
/** lab/nodes/network.sh's namespace with a lab address that no stack allowlists. */
const STRANGER_NETNS = "qlab-x";

const kubectl = kubectlIn;
const json = <T = any>(c: ClusterName, ...args: string[]): T => JSON.parse(kubectl(c, ...args, "-o", "json")) as T;
const execIn = (c: ClusterName, pod: string, script: string) => shellIn({ cluster: c, pod }, script);
const gethOf = <T>(c: ClusterName, pod: string, js: string) => gethValue<T>({ cluster: c, pod, name: pod }, js);

/** Can a TCP connection be opened from inside network namespace `netns`? */
function connects(netns: string, ip: string, port: number): boolean {
    try {
        execFileSync("nsenter", [`--net=/run/netns/${netns}`, "--", "timeout", "4", "bash", "-c", `exec 3<>/dev/tcp/${ip}/${port}`], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

/** Packets the node's NetworkPolicy engine (kube-network-policies) has dropped so far, from its metrics. */
function policyDrops(c: ClusterName): number {
    const metrics = execFileSync("nsenter", [`--net=/run/netns/qlab-${c}`, "--", "curl", "-sf", "http://127.0.0.1:9080/metrics"], { encoding: "utf8" });
    const line = metrics.split("\n").find((l) => l.startsWith("kube_network_policies_packet_count{") && l.includes('verdict="drop"'));
    return line ? Number(line.split(" ").pop()) : 0;
}

describe("real nodes: the stacks' pods run GoQuorum and Tessera built from source", function () {
    const docs: Partial<Record<ClusterName, ExternalNodesDocument>> = {};
    const pods: Record<ClusterName, string[]> = { a: [], b: [] };

    let report: LabReport;

    before(async function () {
        report = await convergedRealLab();
        process.stderr.write(`${formatReport(report)}\n`);
        const driver = new AutomationDriver(REAL_PROJECT_DIR, () => undefined);
        for (const c of CLUSTER_NAMES) {
            docs[c] = (await driver.externalNodes(REAL_CLUSTERS[c].stack)) as ExternalNodesDocument;
            pods[c] = docs[c]!.nodes.map((n) => names.pod(n.name));
        }
    });

    it("converges the handshake on the real clusters, previews empty afterwards, and reports every pod with the versions its processes give", () => {
        assert.equal(report.converged, true);
        assert.deepEqual(report.finalPreviewChanges, { clusterA: 0, clusterB: 0 });
        assert.equal(report.pods?.length, pods.a.length + pods.b.length);
        for (const p of report.pods ?? []) {
            assert.match(p.geth ?? "", /quorum-v24\.4\.1/, `${p.pod} geth`);
            assert.match(p.tessera ?? "", /^Tessera 0\.10\.6-SNAPSHOT$/, `${p.pod} tessera`);
        }
    });

    it("every node pod of both organizations is Ready, with zero restarts of any container", async () => {
        for (const c of CLUSTER_NAMES) {
            for (const pod of pods[c]) {
                const p = await waitFor(`${pod} Ready in cluster ${c}`, 5 * MINUTE, async () => {
                    const got = json(c, "get", "pod", pod);
                    return isPodReady(got) ? got : undefined;
                });
                const statuses = [...(p.status.initContainerStatuses ?? []), ...p.status.containerStatuses];
                for (const s of statuses) assert.equal(s.restartCount, 0, `${c}/${pod}/${s.name} restarts`);
                assert.equal(p.spec.nodeName, REAL_CLUSTERS[c].node);
            }
        }
    });

    it("exports the real node's InternalIP, and the founder's validators seal blocks on the generated genesis and flags", async () => {
        for (const c of CLUSTER_NAMES) assert.equal(docs[c]!.nodeIp, REAL_CLUSTERS[c].nodeIp);
        const pod = pods.a[0];
        const first = Number(gethOf("a", pod, "eth.blockNumber"));
        await waitFor("a new block on a-validator1", 2 * MINUTE, async () => (Number(gethOf("a", pod, "eth.blockNumber")) > first ? true : undefined));
    });

    it("geth runs as UID 1000 on a read-only root filesystem and can write only its volume and scratch dirs", () => {
        const pod = pods.a[0];
        assert.equal(execIn("a", pod, "id -u; id -g").trim(), "1000\n1000");
        const out = execIn("a", pod, `touch /probe 2>&1 || echo refused; touch ${PATHS.data}/probe && echo data-ok; touch ${PATHS.tmp}/probe && echo tmp-ok; rm -f ${PATHS.data}/probe ${PATHS.tmp}/probe`);
        assert.match(out, /Read-only file system[\s\S]*refused/);
        assert.match(out, /data-ok/);
        assert.match(out, /tmp-ok/);
    });

    it("Tessera starts before geth, and geth starts only after Tessera's upcheck passed", () => {
        for (const c of CLUSTER_NAMES) {
            for (const pod of pods[c]) {
                const p = json(c, "get", "pod", pod);
                const tessera = (p.status.initContainerStatuses ?? []).find((s: any) => s.name === "tessera");
                if (!tessera) continue;
                const geth = p.status.containerStatuses.find((s: any) => s.name === "quorum");
                assert.equal(tessera.started, true, `${pod}: tessera started`);
                assert.ok(Date.parse(tessera.state.running.startedAt) <= Date.parse(geth.state.running.startedAt), `${pod}: Tessera first`);
                // A startup probe gates later containers: geth's start follows a passed upcheck, and
                // geth (which exits when the Q2T socket is missing) never restarted.
                assert.equal(geth.restartCount, 0);
                assert.match(execIn(c, pod, "wget -q -O - http://127.0.0.1:9000/upcheck"), /I'm up!/);
            }
        }
    });

    it("a deleted pod comes back on its volume: geth init is not re-run and the chain data is intact", async () => {
        const pod = pods.b[1];
        const height = Number(gethOf("b", pod, "eth.blockNumber"));
        assert.ok(height > 0, "the member synced from the founder");
        const hash = gethOf("b", pod, `eth.getBlock(${height}).hash`);
        const before = json("b", "get", "pod", pod);
        const uid = before.metadata.uid;
        const grace: number = before.spec.terminationGracePeriodSeconds;
        const deleting = Date.now();
        kubectl("b", "delete", "pod", pod, "--wait=true");
        // Every container honours SIGTERM (geth, Tessera's JVM, the reconciler's trapped shell), so
        // the pod is gone long before its grace period would end in SIGKILL.
        const deletedIn = (Date.now() - deleting) / 1000;
        process.stderr.write(`      ${pod} deleted in ${deletedIn.toFixed(1)} s (grace period ${grace} s)\n`);
        assert.ok(deletedIn < grace * 0.66, `${pod} took ${deletedIn.toFixed(1)} s to delete (grace period ${grace} s): a container ignored SIGTERM and waited for SIGKILL`);
        await waitFor(`${pod} back and Ready`, 5 * MINUTE, async () => {
            const p = json("b", "get", "pod", pod);
            return p.metadata.uid !== uid && isPodReady(p) ? true : undefined;
        });
        assert.doesNotMatch(kubectl("b", "logs", pod, "-c", "geth-init"), /Successfully wrote genesis state/, "geth init did not run again");
        assert.equal(gethOf("b", pod, `eth.getBlock(${height}).hash`), hash);
    });

    it("the clusters reach each other as partners do: every exported p2p and Tessera NodePort answers from the other cluster's node", () => {
        for (const [from, to] of [["b", "a"], ["a", "b"]] as const) {
            for (const n of docs[to]!.nodes) {
                assert.equal(connects(`qlab-${from}`, docs[to]!.nodeIp, n.p2pNodePort), true, `${from} -> ${n.name} p2p`);
                const tessera = n.tesseraP2pUrl ? Number(new URL(n.tesseraP2pUrl).port) : undefined;
                if (tessera) assert.equal(connects(`qlab-${from}`, docs[to]!.nodeIp, tessera), true, `${from} -> ${n.name} Tessera`);
            }
        }
    });

    it("the partner allowlist is enforced: a stranger's lab address is refused by the NetworkPolicy engine on every exported port", () => {
        for (const c of CLUSTER_NAMES) {
            const dropsBefore = policyDrops(c);
            for (const n of docs[c]!.nodes) {
                assert.equal(connects(STRANGER_NETNS, docs[c]!.nodeIp, n.p2pNodePort), false, `stranger -> ${n.name} p2p`);
                const tessera = n.tesseraP2pUrl ? Number(new URL(n.tesseraP2pUrl).port) : undefined;
                if (tessera) assert.equal(connects(STRANGER_NETNS, docs[c]!.nodeIp, tessera), false, `stranger -> ${n.name} Tessera`);
            }
            // The refusal is the engine's verdict, not a missing route: its drop count rose.
            assert.ok(policyDrops(c) > dropsBefore, `cluster ${c}: the policy engine dropped none of the stranger's packets`);
        }
    });
});
