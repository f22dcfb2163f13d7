/**
 * Issue 5, on the real-node clusters (issue 12): the real Pulumi engine against the two lab
 * clusters whose nodes run the pods. Runs (or finds converged) `npm run lab`'s handshake first,
 * then asserts on the state the engine and the API servers actually hold. The node added and
 * removed here is a member (no vote), so the chain the later suites observe keeps its validators.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dump, load } from "js-yaml";
import type { ExternalNodesDocument } from "../../core/export/external-nodes";
import { REAL_CLUSTERS, type ClusterName } from "../../lab/lab-env";
import type { LabReport } from "../../lab/run-lab";
import { realLab } from "./lab-helpers";
import { AutomationDriver } from "../../cli/network/automation-driver";
import { converge } from "../../cli/network/converge";
import { computeGenesisHash } from "../../core/genesis/genesis";
import { names } from "../../core/k8s/labels";

const CLUSTER_OF: Record<string, ClusterName> = { clusterA: "a", clusterB: "b" };
const NAMESPACE: Record<ClusterName, string> = { a: REAL_CLUSTERS.a.namespace, b: REAL_CLUSTERS.b.namespace };
const { kubectl, kubectlJson, previewChanges, stack, projectDir: PROJECT_DIR, clusters: CLUSTERS, kubeconfigOf } = realLab;

async function externalNodes(name: string): Promise<ExternalNodesDocument> {
    return (await (await stack(name)).outputs()).externalNodes.value as ExternalNodesDocument;
}

describe("real handshake: two organizations, real engine, the real-node clusters", () => {
    let report: LabReport;
    const docs: Record<string, ExternalNodesDocument> = {};

    before(async function () {
        report = await realLab.converged();
        for (const s of ["clusterA", "clusterB"]) docs[s] = await externalNodes(s);
    });

    it("converges the handshake (founder, joiner, founder) with empty previews on both stacks", () => {
        assert.equal(report.converged, true);
        assert.deepEqual(report.finalPreviewChanges, { clusterA: 0, clusterB: 0 });
        assert.equal(report.stacks.clusterA.genesisHash, report.stacks.clusterB.genesisHash);
    });

    for (const s of ["clusterA", "clusterB"]) {
        it(`${s}: every exported NodePort is the port the API server allocated`, () => {
            const c = CLUSTER_OF[s];
            for (const n of docs[s].nodes) {
                const svc = kubectlJson(c, "-n", NAMESPACE[c], "get", "service", `${n.name}-external`);
                const ports = Object.fromEntries(svc.spec.ports.map((p: any) => [p.name, p.nodePort]));
                assert.equal(n.p2pNodePort, ports.p2p, `${n.name} p2p`);
                assert.equal(n.tesseraP2pUrl, `http://${docs[s].nodeIp}:${ports["tm-p2p"]}`, `${n.name} tessera`);
                const [lo, hi] = CLUSTERS[c].nodePorts;
                assert.ok(n.p2pNodePort >= lo && n.p2pNodePort <= hi, "inside this cluster's NodePort range");
            }
        });

        it(`${s}: the exported node IP is the cluster node's InternalIP`, () => {
            const c = CLUSTER_OF[s];
            const node = kubectlJson(c, "get", "nodes").items[0];
            const internal = node.status.addresses.find((a: any) => a.type === "InternalIP").address;
            assert.equal(docs[s].nodeIp, internal);
            assert.equal(internal, CLUSTERS[c].nodeIp);
        });

        it(`${s}: static-nodes and permissioned-nodes ConfigMaps list every node of both organizations`, () => {
            const c = CLUSTER_OF[s];
            const all = [...docs.clusterA.nodes, ...docs.clusterB.nodes].map((n) => n.enodeUrl);
            for (const [cm, file] of [["qstack-static-nodes", "static-nodes.json"], ["qstack-permissioned-nodes", "permissioned-nodes.json"]]) {
                const list = JSON.parse(kubectlJson(c, "-n", NAMESPACE[c], "get", "configmap", cm).data[file]) as string[];
                assert.deepEqual(list, all, `${cm} in ${s}`);
            }
        });

        it(`${s}: private keys exist only in Secrets, not in any ConfigMap or in plaintext state`, async () => {
            const c = CLUSTER_OF[s];
            const current = new Set(docs[s].nodes.map((n) => names.keySecret(n.name, n.enodeId)));
            const secrets = kubectlJson(c, "-n", NAMESPACE[c], "get", "secrets").items.filter((x: any) => current.has(x.metadata.name));
            assert.equal(secrets.length, docs[s].nodes.length);
            const privates = secrets.flatMap((x: any) =>
                ["nodekey", "account-password"].map((k) => Buffer.from(x.data[k], "base64").toString()).concat(JSON.parse(Buffer.from(x.data["tm.key"], "base64").toString()).data.bytes),
            );
            const configMaps = kubectl(c, "-n", NAMESPACE[c], "get", "configmaps", "-o", "json");
            // The state as stored (the Automation API's exportStack would reveal secrets).
            const state = execFileSync("pulumi", ["stack", "export", "-s", s], { cwd: PROJECT_DIR, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
            for (const p of privates) {
                assert.ok(p.length >= 32);
                assert.ok(!configMaps.includes(p), "private key in a ConfigMap");
                assert.ok(!state.includes(p), "private key in plaintext state");
            }
            assert.ok(state.includes("4dabf18193072939515e22adb298388d"), "state holds secrets, encrypted");
            // The random seeds themselves: readable only with --show-secrets.
            const revealed = JSON.parse(execFileSync("pulumi", ["stack", "export", "--show-secrets", "-s", s], { cwd: PROJECT_DIR, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }));
            // --show-secrets writes each secret as {<secret sig>, plaintext: "<JSON of the value>"}.
            const seeds = revealed.deployment.resources
                .filter((r: any) => r.type === "random:index/randomPassword:RandomPassword")
                .map((r: any) => JSON.parse(r.outputs.result.plaintext));
            assert.equal(seeds.length, docs[s].nodes.length);
            for (const seed of seeds) assert.ok(typeof seed === "string" && seed.length === 64 && !state.includes(seed), "random seed in plaintext state");
        });
    }

    it("adding a node to clusterB previews only creates and in-place updates; qctl network status names clusterA stale until the founder's next update lists it; removing it keeps its keys and volume", async () => {
        const file = join(PROJECT_DIR, "Pulumi.clusterB.yaml");
        const original = readFileSync(file, "utf8");
        const doc = load(original) as { config: Record<string, any> };
        doc.config["qstack:nodes"] = [...doc.config["qstack:nodes"], { name: "b-member2", role: "member" }];
        writeFileSync(file, dump(doc));
        try {
            const changes = await previewChanges("clusterB");
            assert.ok((changes.create ?? 0) > 0, JSON.stringify(changes));
            for (const op of Object.keys(changes)) assert.ok(op === "create" || op === "update", `unexpected ${op}: ${JSON.stringify(changes)}`);
            await (await stack("clusterB")).up();
            // Before clusterA updates, `qctl network status` names it (and only it) as stale, with the new node.
            const status = () => spawnSync("node", ["bin/qctl", "network", "status", "--stacks", "clusterA,clusterB", "--cwd", PROJECT_DIR], { encoding: "utf8" });
            const stale = status();
            assert.equal(stale.status, 1, stale.stdout + stale.stderr);
            assert.match(stale.stdout, /^clusterA: STALE\n  organization\/qstack\/clusterB \(org-b\): node b-member2 added\n  run: pulumi up -s clusterA\nclusterB: up to date/);
            await (await stack("clusterA")).up();
            const current = status();
            assert.equal(current.status, 0, current.stdout + current.stderr);
            assert.match(current.stdout, /^clusterA: up to date .*\nclusterB: up to date /);
            const added = (await externalNodes("clusterB")).nodes.find((n) => n.name === "b-member2")!;
            const list = JSON.parse(kubectlJson("a", "-n", "org-a", "get", "configmap", "qstack-static-nodes").data["static-nodes.json"]) as string[];
            assert.ok(list.includes(added.enodeUrl), "clusterA lists the new node");
            assert.deepEqual(await previewChanges("clusterA"), {});
            assert.deepEqual(await previewChanges("clusterB"), {});

            // Removing it again: workload gone everywhere, its keys and volume retained.
            writeFileSync(file, original);
            await converge(["clusterA", "clusterB"], "clusterA", new AutomationDriver(PROJECT_DIR, () => undefined));
            const after = JSON.parse(kubectlJson("a", "-n", "org-a", "get", "configmap", "qstack-static-nodes").data["static-nodes.json"]) as string[];
            assert.ok(!after.includes(added.enodeUrl), "clusterA dropped the removed node");
            assert.throws(() => kubectl("b", "-n", "org-b", "get", "statefulset", "b-member2"), /NotFound/);
            kubectl("b", "-n", "org-b", "get", "secret", names.keySecret("b-member2", added.enodeId));
            kubectl("b", "-n", "org-b", "get", "pvc", names.pvc("b-member2"));
        } finally {
            writeFileSync(file, original);
            await converge(["clusterA", "clusterB"], "clusterA", new AutomationDriver(PROJECT_DIR, () => undefined));
        }
    });

    it("shows which changes replace what: upgrades and resources update in place; nothing is ever replaced", async () => {
        const file = join(PROJECT_DIR, "Pulumi.clusterB.yaml");
        const original = readFileSync(file, "utf8");
        const withConfig = (mutate: (c: Record<string, any>) => void) => {
            const doc = load(original) as { config: Record<string, any> };
            mutate(doc.config);
            writeFileSync(file, dump(doc));
        };
        const opsOf = async (): Promise<Record<string, string[]>> => {
            const ops: Record<string, string[]> = {};
            await (await stack("clusterB")).preview({
                onEvent: (e) => {
                    const m = e.resourcePreEvent?.metadata;
                    if (m && m.op !== "same" && m.op !== "read") (ops[m.type] ??= []).push(m.op);
                },
            });
            return ops;
        };
        try {
            withConfig((c) => (c["qstack:quorum"] = { version: "24.4.0" }));
            const upgrade = await opsOf();
            withConfig((c) => (c["qstack:nodes"] = c["qstack:nodes"].map((n: any) => ({ ...n, resources: { quorum: { requests: { cpu: "500m" } } } }))));
            const resources = await opsOf();
            withConfig((c) => (c["qstack:nodes"] = c["qstack:nodes"].map((n: any, i: number) => (i === 0 ? { ...n, storage: { size: "20Gi" } } : n))));
            const resize = await opsOf();
            process.stderr.write(`      image upgrade: ${JSON.stringify(upgrade)}\n      resources:     ${JSON.stringify(resources)}\n      storage size:  ${JSON.stringify(resize)}\n`);
            for (const ops of [upgrade, resources]) {
                for (const [type, list] of Object.entries(ops)) assert.ok(list.every((op) => op === "update"), `${type}: ${list}`);
                assert.ok(ops["kubernetes:apps/v1:StatefulSet"]?.length === 2, "both StatefulSets roll");
                assert.equal(ops["kubernetes:core/v1:Secret"]?.some((op) => op !== "update") ?? false, false, "key Secrets never replaced");
            }
            // volumeClaimTemplates are immutable and only shape new volumes: ignored, no replace.
            assert.deepEqual(resize, {});
        } finally {
            writeFileSync(file, original);
        }
    });

    it("refuses, with the clear error, a partner on a different genesis (real engine, before any resource)", async () => {
        // A joiner of clusterA's network that also lists a partner (from a file) whose genesis
        // is another network's: a valid document, just not the same chain.
        const name = "clusterC";
        const foreign = JSON.parse(JSON.stringify(docs.clusterA));
        const genesis = JSON.parse(foreign.genesis);
        genesis.timestamp = "0x1";
        foreign.genesis = JSON.stringify(genesis);
        foreign.genesisHash = computeGenesisHash(genesis);
        foreign.org = "org-x";
        foreign.nodes = [];
        writeFileSync(join(PROJECT_DIR, "org-x.json"), JSON.stringify(foreign));
        writeFileSync(join(PROJECT_DIR, `Pulumi.${name}.yaml`), dump({ config: {
            "qstack:org": "org-c",
            "qstack:nodes": [{ name: "c-validator1" }],
            "qstack:partners": ["organization/qstack/clusterA"],
            "qstack:partnerFiles": ["org-x.json"],
            "qstack:genesisFrom": "organization/qstack/clusterA",
            "kubernetes:kubeconfig": kubeconfigOf("a"),
        } }));
        const driver = new AutomationDriver(PROJECT_DIR, () => undefined);
        const s = await driver.stack(name);
        try {
            await assert.rejects(s.up(), (e: Error) => {
                assert.match(e.message, /org-x\.json: externalNodes\.genesisHash: differs from the founder's genesis \(organization\/qstack\/clusterA\)/);
                return true;
            });
            const state = await s.exportStack();
            const created = (state.deployment.resources ?? []).filter((r: any) => !r.type.startsWith("pulumi:") );
            assert.deepEqual(created, [], "nothing deployed");
        } finally {
            await s.workspace.removeStack(name, { force: true });
        }
    });
});
