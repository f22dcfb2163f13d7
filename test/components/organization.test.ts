import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { resolveConfig, type RawConfig } from "../../core/config/resolve-config";
import { computeGenesisHash } from "../../core/genesis/genesis";
import { parseEnodeUrl } from "../../core/keys/enode";
import { BASE_CONFIG, evaluateOrganization, type Evaluation } from "../helpers/organization";
import { declaredOptions, deployedConfigMapData, exportedNodes, installMocks, ofType, promiseOf, recorded, settle, unallocatedServices } from "../helpers/mocks";
import { QuorumOrganization, type QuorumOrganizationArgs } from "../../components/organization";

const evaluate = (overrides: RawConfig = {}, nodeIp = "10.1.2.3"): Promise<Evaluation> => evaluateOrganization(overrides, nodeIp);

/** Pulumi's marker for a secret value on the wire. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const byName = (type: string, name: string) => ofType(type).find((r) => r.name === name)!;

describe("components/organization (Pulumi mocks)", () => {
    let e: Evaluation;
    before(async () => {
        e = await evaluate();
    });

    it("declares exactly the expected resources, named from the org and node names", () => {
        const names = recorded.map((r) => `${r.type} ${r.name}`).sort();
        const expected = [
            "kubernetes:core/v1:Namespace org-a-ns",
            "kubernetes:core/v1:ConfigMap org-a-genesis",
            "kubernetes:core/v1:ConfigMap org-a-static-nodes",
            "kubernetes:core/v1:ConfigMap org-a-permissioned-nodes",
            "kubernetes:core/v1:ConfigMap org-a-reconciler",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy org-a-network-policy",
            "kubernetes:policy/v1:PodDisruptionBudget org-a-validator-budget",
            "qstack:index:QuorumOrganization org-a",
        ];
        for (const n of ["v1", "v2", "v3", "m1"]) {
            expected.push(
                `qstack:index:NodeKeys org-a-${n}-keys`,
                `random:index/randomPassword:RandomPassword org-a-${n}-keys-seed`,
                `qstack:index:NodeEndpoints org-a-${n}-endpoints`,
                `kubernetes:core/v1:Service org-a-${n}-endpoints-svc`,
                `kubernetes:core/v1:Service org-a-${n}-endpoints-external`,
                `qstack:index:QuorumNode org-a-${n}`,
                `kubernetes:core/v1:Secret org-a-${n}-keys`,
                `kubernetes:core/v1:ConfigMap org-a-${n}-tessera`,
                `kubernetes:apps/v1:StatefulSet org-a-${n}-sts`,
            );
        }
        assert.deepEqual(names, expected.sort());
    });

    it("gives every Kubernetes object an explicit name in the org's namespace", () => {
        for (const r of recorded.filter((x) => x.type.startsWith("kubernetes:") && x.type !== "kubernetes:core/v1:Namespace")) {
            assert.ok(r.inputs.metadata?.name, `${r.name} has metadata.name`);
            assert.equal(r.inputs.metadata.namespace, "org-a", r.name);
        }
        assert.equal(byName("kubernetes:apps/v1:StatefulSet", "org-a-v1-sts").inputs.metadata.name, "v1");
        assert.equal(byName("kubernetes:core/v1:Service", "org-a-v1-endpoints-external").inputs.metadata.name, "v1-external");
    });

    it("exports each node's enode URL on the node IP and the NodePort the Service was given", () => {
        for (const node of e.externalNodes.nodes) {
            const svc = byName("kubernetes:core/v1:Service", `org-a-${node.name}-endpoints-external`);
            const allocated = Object.fromEntries(svc.inputs.spec.ports.map((p: any) => [p.name, p.nodePort]));
            // The mocks allocate like an API server; the export must carry the allocated ports.
            assert.equal(allocated.p2p, undefined, "not pinned");
            const url = parseEnodeUrl(node.enodeUrl, "enodeUrl");
            assert.equal(url.host, "10.1.2.3");
            assert.equal(url.port, node.p2pNodePort);
            assert.ok(node.p2pNodePort >= 30000 && node.p2pNodePort <= 32767);
            assert.equal(node.tesseraP2pUrl, `http://10.1.2.3:${node.tesseraP2pUrl!.split(":")[2]}`);
        }
    });

    it("exports a versioned document with chain id, consensus and the genesis hash", () => {
        assert.equal(e.externalNodes.schemaVersion, 1);
        assert.equal(e.externalNodes.org, "org-a");
        assert.equal(e.externalNodes.chainId, 1337);
        assert.equal(e.externalNodes.consensus, "qbft");
        assert.equal(e.externalNodes.genesisHash, e.genesisHash);
        assert.equal(e.genesisHash, computeGenesisHash(JSON.parse(e.genesis)));
        assert.deepEqual(e.externalNodes.nodes.map((n) => [n.name, n.role]), [["v1", "validator"], ["v2", "validator"], ["v3", "validator"], ["m1", "member"]]);
    });

    it("puts the three validators (not the member) into the genesis and funds every account", () => {
        const g = JSON.parse(e.genesis);
        for (const n of e.externalNodes.nodes) {
            assert.equal(g.extraData.includes(n.validatorAddress.slice(2).toLowerCase()), n.role === "validator", n.name);
            assert.ok(g.alloc[n.accountAddress.toLowerCase()], `${n.name} funded`);
        }
        assert.ok(g.config.qbft);
    });

    it("lists every node in static-nodes and permissioned-nodes ConfigMaps", () => {
        for (const cm of ["org-a-static-nodes", "org-a-permissioned-nodes"]) {
            const data = byName("kubernetes:core/v1:ConfigMap", cm).inputs.data;
            const list = JSON.parse(Object.values(data)[0] as string);
            assert.deepEqual(list, e.externalNodes.nodes.map((n) => n.enodeUrl), cm);
        }
    });

    it("gives each Tessera every other Tessera as a peer and its external URL as P2P address", () => {
        for (const n of e.externalNodes.nodes) {
            const cfg = JSON.parse(byName("kubernetes:core/v1:ConfigMap", `org-a-${n.name}-tessera`).inputs.data["tessera-config.json"]);
            assert.equal(cfg.serverConfigs.find((s: any) => s.app === "P2P").serverAddress, n.tesseraP2pUrl);
            assert.deepEqual(cfg.peer.map((p: any) => p.url).sort(), e.externalNodes.nodes.filter((o) => o.name !== n.name).map((o) => o.tesseraP2pUrl).sort());
        }
    });

    it("keeps private keys in Secrets only: never in ConfigMaps, outputs or other resources", () => {
        const privates = e.secrets.flatMap((s) => [s.nodeKey, s.tesseraPrivateKey, s.accountPassword]);
        const nonSecret = recorded.filter((r) => r.type !== "kubernetes:core/v1:Secret" && r.type !== "random:index/randomPassword:RandomPassword");
        const text = JSON.stringify(nonSecret) + JSON.stringify(e.externalNodes) + e.genesis;
        for (const p of privates) assert.ok(!text.includes(p), "private material leaked");
        const wrapped = byName("kubernetes:core/v1:Secret", "org-a-v1-keys").inputs.stringData;
        // The engine receives the Secret's data as a secret value (Pulumi's secret signature).
        assert.equal(wrapped[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270");
        const secret = wrapped.value;
        assert.equal(secret.nodekey, e.secrets[0].nodeKey);
        assert.equal(JSON.parse(secret["tm.key"]).data.bytes, e.secrets[0].tesseraPrivateKey);
    });

    it("marks key material as Pulumi secrets and the public identity as plain", async () => {
        const n = e.org.nodes[0];
        assert.equal(await pulumi.isSecret(n.keys.secrets), true);
        assert.equal(await pulumi.isSecret(n.node.keySecret.stringData), true);
        assert.equal(await pulumi.isSecret(n.keys.identity), false);
        assert.equal(await pulumi.isSecret(e.org.externalNodes), false);
    });

    it("mounts the shared ConfigMaps and the node's Secret and runs the QBFT command line", () => {
        const sts = byName("kubernetes:apps/v1:StatefulSet", "org-a-v1-sts").inputs;
        const geth = sts.spec.template.spec.containers[0];
        assert.deepEqual(geth.command, ["geth"]);
        assert.ok(geth.args.includes("--mine"));
        assert.ok(geth.args.includes("--ptm.socket"));
        const member = byName("kubernetes:apps/v1:StatefulSet", "org-a-m1-sts").inputs.spec.template.spec.containers[0];
        assert.ok(!member.args.includes("--mine"));
    });

    it("freezes the genesis ConfigMap (ignoreChanges on data) so a later node cannot redefine the chain", () => {
        assert.deepEqual(declaredOptions.get("org-a-genesis")?.ignoreChanges, ["data", "binaryData"]);
        assert.equal(declaredOptions.get("org-a-static-nodes")?.ignoreChanges, undefined);
    });

    it("lets a drain evict at most f of the org's validators (3 QBFT validators: f = 0)", () => {
        const pdb = byName("kubernetes:policy/v1:PodDisruptionBudget", "org-a-validator-budget").inputs.spec;
        assert.equal(pdb.maxUnavailable, 0);
        assert.equal(pdb.selector.matchLabels["app.kubernetes.io/component"], "validator");
    });

    it("names key Secrets after the node and its enode fingerprint, so a re-added node never clobbers retained keys", () => {
        for (const n of e.externalNodes.nodes) {
            const secret = byName("kubernetes:core/v1:Secret", `org-a-${n.name}-keys`);
            assert.equal(secret.inputs.metadata.name, `${n.name}-keys-${n.enodeId.slice(0, 8)}`);
            const sts = byName("kubernetes:apps/v1:StatefulSet", `org-a-${n.name}-sts`);
            assert.equal(sts.inputs.spec.template.spec.volumes.find((v: any) => v.name === "keys").secret.secretName, secret.inputs.metadata.name);
        }
    });

    it("rolls one node at a time: each StatefulSet waits, by pulumi.com/waitFor, until its one pod is of the new revision and Ready, and the next waits for it", () => {
        // JSONPath waitFor conditions also require a current .status.observedGeneration, which the
        // provider's built-in StatefulSet await (4.25) does not: it let every node restart at once.
        for (const n of e.externalNodes.nodes) {
            const sts = byName("kubernetes:apps/v1:StatefulSet", `org-a-${n.name}-sts`).inputs;
            assert.deepEqual(JSON.parse(sts.metadata.annotations["pulumi.com/waitFor"]), ["jsonpath={.status.updatedReplicas}=1", "jsonpath={.status.readyReplicas}=1"]);
            assert.equal(sts.spec.replicas, 1, "the conditions count one replica");
            assert.equal(sts.spec.updateStrategy.type, "RollingUpdate");
        }
    });

    it("ignores volumeClaimTemplate changes (immutable; existing volumes are expanded on their PVC)", () => {
        const opts = declaredOptions.get("org-a-v1-sts");
        assert.deepEqual(opts?.ignoreChanges, ["spec.volumeClaimTemplates"]);
        assert.equal(opts?.deleteBeforeReplace, true);
    });

    it("deletes keys and volumes on destroy only when dataRetention is delete", async () => {
        await evaluate({ dataRetention: "delete" });
        assert.equal(declaredOptions.get("org-a-v1-keys")?.retainOnDelete, false);
        const sts = ofType("kubernetes:apps/v1:StatefulSet").find((r) => r.name === "org-a-v1-sts")!;
        assert.deepEqual(sts.inputs.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Delete", whenScaled: "Retain" });
        e = await evaluate(); // later tests read the default evaluation's records
    });

    it("retains key Secrets on delete", () => {
        assert.equal(declaredOptions.get("org-a-v1-keys")?.retainOnDelete, true);
    });

    it("derives identical outputs and Secrets from the same state (determinism)", async () => {
        const again = await evaluate();
        assert.deepEqual(again.externalNodes, e.externalNodes);
        assert.equal(again.genesis, e.genesis);
        assert.deepEqual(again.secrets, e.secrets);
    });

    for (const consensus of ["ibft", "raft", "clique"] as const) {
        it(`builds a ${consensus} network with the matching genesis and command line`, async () => {
            const nodes = consensus === "raft" ? [{ name: "v1" }, { name: "v2" }] : BASE_CONFIG.nodes;
            const r = await evaluate({ consensus, nodes });
            const g = JSON.parse(r.genesis);
            const args: string[] = byName("kubernetes:apps/v1:StatefulSet", "org-a-v1-sts").inputs.spec.template.spec.containers[0].args;
            if (consensus === "raft") {
                assert.equal(g.difficulty, "0x0");
                assert.ok(args.includes("--raft"));
                for (const n of r.externalNodes.nodes) assert.equal(parseEnodeUrl(n.enodeUrl, "u").raftPort, n.raftNodePort);
            } else if (consensus === "clique") {
                assert.ok(g.config.clique);
                assert.ok(args.includes("--unlock"));
            } else {
                assert.ok(g.config.ibft);
                assert.ok(args.includes("--mine"));
            }
        });
    }

    it("exports no externalNodes while a node's NodePorts are unallocated (an update that skipped its Services), so partners see it pending instead of portless enode URLs", async () => {
        installMocks();
        unallocatedServices.add("org-a-n2-endpoints-external");
        const org = new QuorumOrganization("org-a", { config: resolveConfig({ org: "org-a", nodes: [{ name: "n1" }, { name: "n2" }] }), nodeIp: "10.0.0.1" });
        assert.equal(await promiseOf(org.externalNodes), undefined);
        await settle();
        assert.ok(ofType("kubernetes:core/v1:Service").some((r) => r.name === "org-a-n2-endpoints-external"), "the Service is declared as usual");
    });

    describe("a founder's genesis-only setting changed after the genesis froze", () => {
        const warnings: string[] = [];
        const warn = pulumi.log.warn;
        beforeEach(() => {
            warnings.length = 0;
            (pulumi.log as { warn: typeof warn }).warn = async (message: string) => void warnings.push(message);
        });
        afterEach(() => {
            (pulumi.log as { warn: typeof warn }).warn = warn;
        });
        const founderWith = async (raw: RawConfig, deployedGenesis?: string) => {
            installMocks();
            if (deployedGenesis !== undefined) deployedConfigMapData.set("org-a-genesis", { "genesis.json": deployedGenesis });
            const org = new QuorumOrganization("org-a", { config: resolveConfig({ org: "org-a", nodes: [{ name: "n1" }], ...raw }), nodeIp: "10.0.0.1" });
            const genesis = await promiseOf(org.genesis);
            await settle();
            return genesis;
        };

        it("keeps the deployed genesis and warns, naming the setting, its configured and its deployed value", async () => {
            const deployed = await founderWith({});
            assert.deepEqual(warnings, [], "a fresh founder deploys what its config says");
            assert.equal(await founderWith({ maxRequestTimeoutSeconds: 60, blockPeriodSeconds: 2 }, deployed), deployed);
            assert.equal(warnings.length, 1);
            assert.match(warnings[0], /qstack:blockPeriodSeconds is 2 in config but 5 in the genesis; qstack:maxRequestTimeoutSeconds is 60 in config but not set in the genesis\./);
        });

        it("does not warn when only nodes were added (validators and accounts are not settings)", async () => {
            const deployed = await founderWith({});
            await founderWith({ nodes: [{ name: "n1" }, { name: "n2" }] }, deployed);
            assert.deepEqual(warnings, []);
        });
    });

    it("uses pinned NodePorts verbatim", async () => {
        const r = await evaluate({ nodes: [{ name: "v1", nodePorts: { p2p: 31001, tessera: 31002 } }] });
        assert.equal(r.externalNodes.nodes[0].p2pNodePort, 31001);
        assert.equal(r.externalNodes.nodes[0].tesseraP2pUrl, "http://10.1.2.3:31002");
    });

    it("creates no namespace when createNamespace is false, and an Ingress when enabled", async () => {
        await evaluate({ createNamespace: false, ingress: { enabled: true, host: "rpc.example.com" } });
        assert.equal(ofType("kubernetes:core/v1:Namespace").length, 0);
        assert.equal(ofType("kubernetes:networking.k8s.io/v1:Ingress").length, 1);
        assert.equal(ofType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").length, 0);
    });

    it("adds a ServiceMonitor for the geth metrics port when monitoring.serviceMonitor is on", async () => {
        await evaluate({ monitoring: { serviceMonitor: true } });
        const [sm] = ofType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
        assert.deepEqual(sm.inputs.spec.endpoints, [{ port: "metrics", path: "/debug/metrics/prometheus", interval: "15s" }]);
        assert.deepEqual(sm.inputs.spec.namespaceSelector, { matchNames: ["org-a"] });
        // The selected Services expose a port named "metrics".
        const svc = ofType("kubernetes:core/v1:Service").find((r) => r.name === "org-a-v1-endpoints-svc")!;
        assert.ok(svc.inputs.spec.ports.some((p: any) => p.name === "metrics" && p.port === 9545));
        assert.equal(svc.inputs.metadata.labels["app.kubernetes.io/part-of"], "qstack");
    });

    it("keeps imported keys byte for byte (migration from Qubernetes key directories)", async () => {
        const { vectorFile } = await import("../helpers/vectors");
        const nodeKey = vectorFile("raft/nodekey1").trim();
        const keystore = vectorFile("keys/key1");
        const r = await evaluate({ nodes: [{ name: "v1" }], importedKeys: { v1: { nodeKey, tesseraPrivateKey: vectorFile("keys/tm1.key"), accountKeystore: keystore, accountPassword: "" } } });
        const node = r.externalNodes.nodes[0];
        assert.equal(node.validatorAddress, "0xd8Dba507e85F116b1f7e231cA8525fC9008A6966");
        assert.equal(node.tesseraPublicKey, vectorFile("keys/tm1.pub").trim());
        assert.equal(node.accountAddress.toLowerCase(), "0xed9d02e382b34818e88b88a309c7fe71e65f419d");
        assert.equal(r.secrets[0].accountKeystore, keystore.trim());
    });
});

describe("components/organization: rollout and placement (Pulumi mocks)", () => {
    const sts = (node: string) => ofType("kubernetes:apps/v1:StatefulSet").find((r) => r.name === `org-a-${node}-sts`)!;

    it("rolls nodes one at a time: each StatefulSet waits for the previous node's", async () => {
        const e = await evaluateOrganization();
        const nodes = e.org.nodes;
        for (let i = 1; i < nodes.length; i++) {
            const dependsOn = declaredOptions.get(`org-a-${nodes[i].config.name}-sts`)!.dependsOn as pulumi.Resource[];
            assert.ok(dependsOn.includes(nodes[i - 1].node.statefulSet), `${nodes[i].config.name} after ${nodes[i - 1].config.name}`);
        }
        const first = declaredOptions.get(`org-a-${nodes[0].config.name}-sts`)!.dependsOn as pulumi.Resource[];
        assert.ok(!first.some((r) => nodes.some((n) => n.node.statefulSet === r)), "the first node waits for no other node");
    });

    it("pins node pods to the discovered node when the partner allowlist is on, so Local NodePorts and egress use its address", async () => {
        await evaluateOrganization({}, "10.1.2.3", undefined, "worker-1");
        assert.deepEqual(sts("v1").inputs.spec.template.spec.nodeSelector, { "kubernetes.io/hostname": "worker-1" });
    });

    it("does not pin with externalFrom: anywhere, nor when the node IP was given rather than discovered", async () => {
        await evaluateOrganization({ networkPolicy: { externalFrom: "anywhere" } }, "10.1.2.3", undefined, "worker-1");
        assert.equal(sts("v1").inputs.spec.template.spec.nodeSelector, undefined);
        await evaluateOrganization({}, "10.1.2.3", undefined, undefined);
        assert.equal(sts("v1").inputs.spec.template.spec.nodeSelector, undefined);
    });
});

describe("components/organization: partner allowlist (Pulumi mocks)", () => {
    it("refuses a partner exporting a DNS name before declaring any resource, with the message alone", async () => {
        const partner = (await evaluateOrganization()).externalNodes;
        const doc = { ...partner, org: "org-b", nodeIp: "nodes.org-b.example.com" };
        await assert.rejects(
            evaluateOrganization({}, "10.1.2.3", { partners: [{ source: "org-b.json", doc }] }),
            (e: unknown) => e instanceof pulumi.RunError && /partner org-b exports the DNS name nodes.org-b.example.com/.test((e as Error).message),
        );
        // Not even the component itself: the checks run before it registers.
        assert.deepEqual(recorded.map((r) => r.name), []);
    });
});

describe("components/organization: consortium size (Pulumi mocks)", () => {
    it("refuses a consortium whose peer-list ConfigMaps would exceed a Kubernetes object, before declaring any resource", async () => {
        const partner = (await evaluateOrganization()).externalNodes;
        const node = partner.nodes[0];
        // One partner with thousands of nodes (only the counts and addresses matter for the sizes).
        const doc = { ...partner, org: "org-b", nodes: Array.from({ length: 6000 }, (_, i) => ({ ...node, name: `b${i}` })) };
        await assert.rejects(
            evaluateOrganization({}, "10.1.2.3", { partners: [{ source: "org-b.json", doc }] }),
            (e: unknown) => e instanceof pulumi.RunError && /qstack:nodes: the reconciler script ConfigMap would hold up to \d+ KiB for a consortium of 6004 nodes/.test((e as Error).message),
        );
        // Not even the component itself: the checks run before it registers.
        assert.deepEqual(recorded.map((r) => r.name), []);
    });
});

describe("components/organization: organizations sharing a cluster (Pulumi mocks)", () => {
    it("exports its namespace, and admits a partner on the same node IP by its node pods in that namespace", async () => {
        const partner = (await evaluateOrganization({ namespace: "org-a-ns" })).externalNodes;
        assert.equal(partner.namespace, "org-a-ns");
        const doc = { ...partner, org: "org-b", nodes: partner.nodes.map((n, i) => ({ ...n, name: `b${i}` })) };
        await evaluateOrganization({}, partner.nodeIp, { partners: [{ source: "org-b.json", doc }] });
        const policy = byName("kubernetes:networking.k8s.io/v1:NetworkPolicy", "org-a-network-policy");
        assert.deepEqual(policy.inputs.spec.ingress[1].from, [
            { ipBlock: { cidr: `${partner.nodeIp}/32` } },
            {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "org-a-ns" } },
                podSelector: { matchLabels: { "app.kubernetes.io/part-of": "qstack", "app.kubernetes.io/name": "goquorum", "qstack.io/org": "org-b" } },
            },
        ]);
    });

    it("refuses a pinned NodePort that a partner on the same node IP exports, before declaring any resource", async () => {
        const partner = (await evaluateOrganization()).externalNodes;
        const taken = partner.nodes[0].p2pNodePort;
        const doc = { ...partner, org: "org-b", nodes: partner.nodes.map((n, i) => ({ ...n, name: `b${i}` })) };
        await assert.rejects(
            evaluateOrganization({ nodes: [{ name: "v1", nodePorts: { p2p: taken } }] }, partner.nodeIp, { partners: [{ source: "org-b.json", doc }] }),
            (e: unknown) => e instanceof pulumi.RunError && new RegExp(`qstack:nodes\\[0\\]\\.nodePorts\\.p2p: NodePort already exported by org-b's node b0`).test((e as Error).message),
        );
        // Not even the component itself: the checks run before it registers.
        assert.deepEqual(recorded.map((r) => r.name), []);
    });
});

describe("components/organization: QuorumOrganization.create, the library's entry (Pulumi mocks)", () => {
    const create = async (args: QuorumOrganizationArgs, name = "org-c") => {
        installMocks();
        const org = await QuorumOrganization.create(name, args);
        const externalNodes = await exportedNodes(org);
        await settle();
        return { org, externalNodes };
    };

    it("builds the same organization as stack config does, the org named after the component by default", async () => {
        const { org, externalNodes } = await create({ nodeIp: "10.1.2.3", nodes: [{ name: "v1" }, { name: "m1", role: "member" }] });
        assert.equal(org.config.org, "org-c");
        assert.equal(org.config.settingsSource, "component-args");
        assert.deepEqual(externalNodes.nodes.map((n) => [n.name, n.role]), [["v1", "validator"], ["m1", "member"]]);
        assert.equal(await promiseOf(org.nodeIp), "10.1.2.3");
        assert.deepEqual(recorded.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet").map((r) => r.name).sort(), ["org-c-m1-sts", "org-c-v1-sts"]);
    });

    it("names args.<path> in every error, with the reasons stack config gets, and declares nothing", async () => {
        const bad = { nodeIp: "10.1.2.3", chainId: 1, nodes: [{ name: "v1" }, { name: "Bad_Name" }] };
        await assert.rejects(
            create(bad),
            (e: unknown) =>
                e instanceof pulumi.RunError &&
                /^invalid QuorumOrganization arguments \(2 problems\)/.test(e.message) &&
                /args\.chainId: chain id 1 is Ethereum mainnet/.test(e.message) &&
                /args\.nodes\[1\]\.name: invalid node name/.test(e.message) &&
                !/qstack:/.test(e.message),
        );
        assert.deepEqual(recorded.map((r) => r.name), []);
    });

    it("takes the node IP as an Output of another resource and exports it as it resolves", async () => {
        const { org, externalNodes } = await create({ nodeIp: pulumi.output("192.0.2.10"), nodes: [{ name: "v1" }] });
        assert.equal(externalNodes.nodeIp, "192.0.2.10");
        assert.equal(org.config.nodeIp, undefined);
    });

    it("keeps imported keys given as plain arguments in secrets only", async () => {
        const nodeKey = "1be3b50b31734be48452c29d714941ba165ef0cbf3ccea8ca16c45e3d8d45fb0";
        const { org } = await create({ nodeIp: "10.1.2.3", nodes: [{ name: "v1" }], importedKeys: { v1: { nodeKey } } });
        assert.equal(await pulumi.isSecret(org.nodes[0].keys.secrets), true);
        assert.equal((await promiseOf(org.nodes[0].keys.secrets)).nodeKey, nodeKey);
        const secret = byName("kubernetes:core/v1:Secret", "org-c-v1-keys");
        assert.ok(secret, "the node's key Secret");
        assert.ok(!JSON.stringify(recorded.filter((r) => r.type !== "kubernetes:core/v1:Secret")).includes(nodeKey), "the key appears in no other resource");
    });
});
