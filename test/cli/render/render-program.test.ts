/**
 * qctl render's program run (cli/render/render-program.ts) and what it writes, fed a stack state
 * as `pulumi stack export` gives it: the founder and a joiner of a 4-node QBFT network.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { keyTargets } from "../../../cli/render/create-keys";
import { missingSecretsError, renderProgram, type RenderedProgram } from "../../../cli/render/render-program";
import type { StackState } from "../../../cli/render/stack-state";
import { checkOutputDirectory, writeRender } from "../../../cli/render/write-render";
import type { PartnerIo } from "../../../components/partners";
import { QstackError } from "../../../core/errors";
import type { ExternalNodesDocument } from "../../../core/export/external-nodes";
import { deriveNodeKeyMaterial, seedsFromSecret } from "../../../core/keys/node-key-material";
import { renderManifests, unknownNodePorts, type RenderedFile } from "../../../core/render/manifests";
import { renderNetworkFiles } from "../../../core/render/network-files";

const FOUNDER = "organization/qstack/founder";
const founderNodes = [{ name: "v1" }, { name: "v2" }, { name: "v3" }, { name: "m1", role: "member" }];

/** A deployed stack's state: a seed per node, the NodePorts the cluster allocated, no other deployed objects. */
function stateOf(org: string, config: Record<string, unknown>, nodes: readonly { name: string }[], firstPort: number, deployedInputs = new Map<string, Record<string, unknown>>()): StackState {
    return {
        config: Object.fromEntries(Object.entries({ org, ...config, nodes }).map(([k, v]) => [`qstack:${k}`, typeof v === "string" ? v : JSON.stringify(v)])),
        secretKeys: [],
        seeds: new Map(nodes.map((n, i) => [`${org}-${n.name}-keys-seed`, `${org}-${n.name}-seed-${i}`.padEnd(64, "x")])),
        nodePorts: new Map(nodes.map((n, i) => [`${org}-${n.name}-endpoints-external`, new Map([["p2p", firstPort + 2 * i], ["tm-p2p", firstPort + 2 * i + 1]])])),
        deployedInputs,
        urns: new Set(),
    };
}

const noPartners: PartnerIo = { stackExists: () => false, readStackOutput: async () => undefined, readFile: () => assert.fail("no files") };
const partnersOf = (outputs: Record<string, unknown>): PartnerIo => ({ stackExists: (s) => s in outputs, readStackOutput: async (s) => outputs[s], readFile: () => assert.fail("no files") });

function run(state: StackState, partnerIo: PartnerIo): Promise<RenderedProgram> {
    return renderProgram({ project: "qstack", stack: "test", projectDir: tmpdir(), state, partnerOutputs: async () => undefined, partnerIo });
}

function filesOf(p: RenderedProgram, includeSecrets = false): RenderedFile[] {
    const m = renderManifests(p.objects, includeSecrets);
    return [...m.files, ...renderNetworkFiles(p.objects, p.config.nodes, p.externalNodes)];
}

const founderState = () => stateOf("org-a", { nodeIp: "10.0.0.1", partners: [] }, founderNodes, 30100);

describe("cli/render: the stack program under mocks, fed a stack's state", () => {
    let founder: RenderedProgram;
    before(async () => {
        founder = await run(founderState(), noPartners);
    });

    it("declares what pulumi up would: every node's StatefulSet, Services, key Secret and Tessera ConfigMap, and the shared ConfigMaps", () => {
        const byKind = (kind: string) => founder.objects.filter((o) => o.object.kind === kind).map((o) => o.object.metadata.name).sort();
        assert.deepEqual(byKind("StatefulSet"), ["m1", "v1", "v2", "v3"]);
        assert.equal(byKind("Secret").length, 4);
        assert.deepEqual(byKind("ConfigMap"), ["m1-tessera", "qstack-genesis", "qstack-permissioned-nodes", "qstack-reconciler", "qstack-static-nodes", "v1-tessera", "v2-tessera", "v3-tessera"]);
        assert.ok(founder.objects.every((o) => o.object.metadata.namespace === "org-a" || o.object.kind === "Namespace"));
    });

    it("pins each NodePort the last deployment allocated, so the export and a GitOps apply keep the ports partners dial", () => {
        const service = founder.objects.find((o) => o.object.kind === "Service" && o.object.metadata.name === "v2-external")!.object as unknown as { spec: { ports: { name: string; nodePort: number }[] } };
        assert.deepEqual(service.spec.ports.map((p) => [p.name, p.nodePort]), [["p2p", 30102], ["tm-p2p", 30103]]);
        const v2 = founder.externalNodes!.nodes.find((n) => n.name === "v2")!;
        assert.equal(v2.p2pNodePort, 30102);
        assert.equal(v2.tesseraP2pUrl, "http://10.0.0.1:30103");
    });

    it("renders the same state to byte-identical files", async () => {
        const again = await run(founderState(), noPartners);
        assert.deepEqual(filesOf(again), filesOf(founder));
    });

    it("writes no private key anywhere by default, and lists the Secrets to provide with their keys", () => {
        const files = filesOf(founder);
        const text = files.map((f) => f.content).join("\n");
        for (const [, seed] of founderState().seeds) {
            const k = deriveNodeKeyMaterial(seedsFromSecret(seed));
            for (const secret of [k.nodeKey, k.tesseraPrivateKey, k.accountPassword]) assert.ok(!text.includes(secret), "private key material leaked");
        }
        assert.ok(files.every((f) => !f.secret));
        const { omittedSecrets } = renderManifests(founder.objects, false);
        assert.equal(omittedSecrets.length, 4);
        assert.deepEqual(omittedSecrets[0].keys, ["account-keystore.json", "account-password", "nodekey", "tm.key", "tm.pub"]);
    });

    it("writes the Secrets, marked secret, only with includeSecrets: the node's nodekey as derived from its seed", () => {
        const secrets = filesOf(founder, true).filter((f) => f.secret);
        assert.equal(secrets.length, 4);
        const v1 = parse(secrets.find((f) => f.path.includes("secret-v1-keys-"))!.content) as { stringData: Record<string, string> };
        assert.equal(v1.stringData.nodekey, deriveNodeKeyMaterial(seedsFromSecret(founderState().seeds.get("org-a-v1-keys-seed")!)).nodeKey);
    });

    it("makes a joiner adopt the founder's genesis byte for byte and list both organizations' nodes", async () => {
        const joiner = await run(stateOf("org-b", { nodeIp: "10.0.0.2", partners: [FOUNDER], genesisFrom: FOUNDER }, [{ name: "b1" }], 30200), partnersOf({ [FOUNDER]: founder.externalNodes }));
        const file = (p: RenderedProgram, path: string) => filesOf(p).find((f) => f.path === path)!.content;
        assert.equal(file(joiner, "network/genesis.json"), file(founder, "network/genesis.json"));
        assert.equal(JSON.parse(file(joiner, "network/static-nodes.json")).length, 5);
        assert.equal((JSON.parse(file(joiner, "externalNodes.json")) as ExternalNodesDocument).genesisHash, founder.externalNodes!.genesisHash);
    });

    it("keeps the genesis as last deployed when nodes are added later (its ConfigMap ignores changes), as pulumi up does", async () => {
        const genesis = founder.objects.find((o) => o.object.metadata.name === "qstack-genesis")!.object;
        const grown = [...founderNodes, { name: "v4" }];
        const later = await run(stateOf("org-a", { nodeIp: "10.0.0.1", partners: [] }, grown, 30100, new Map([["org-a-genesis", genesis as unknown as Record<string, unknown>]])), noPartners);
        const changed = (path: string) => filesOf(later).find((f) => f.path === path)?.content !== filesOf(founder).find((f) => f.path === path)?.content;
        assert.equal(changed("network/genesis.json"), false);
        assert.equal(changed("network/static-nodes.json"), true);
        assert.equal(changed("manifests/org-a/statefulset-v4.yaml"), true, "the new node is rendered");
        assert.equal(changed("manifests/org-a/statefulset-v1.yaml"), false, "other nodes' StatefulSets are untouched");
    });

    it("has no export while a node's NodePorts are neither pinned nor allocated, and names that node's Service ports", async () => {
        const state = founderState();
        (state.nodePorts as Map<string, unknown>).delete("org-a-m1-endpoints-external");
        const p = await run(state, noPartners);
        assert.equal(p.externalNodes, undefined);
        assert.deepEqual(unknownNodePorts(p.objects), [
            { service: "org-a/m1-external", port: "p2p" },
            { service: "org-a/m1-external", port: "tm-p2p" },
        ]);
    });

    it("reports a node whose keys the state lacks, with what a targeted pulumi up must create to hold them", async () => {
        const state = founderState();
        (state.seeds as Map<string, string>).delete("org-a-v3-keys-seed");
        const { missingSecrets } = await run(state, noPartners);
        const component = "qstack:index:QuorumOrganization";
        assert.deepEqual(missingSecrets, [
            {
                name: "org-a-v3-keys-seed",
                targets: [
                    `urn:pulumi:test::qstack::${component}$qstack:index:NodeKeys$random:index/randomPassword:RandomPassword::org-a-v3-keys-seed`,
                    `urn:pulumi:test::qstack::${component}$qstack:index:NodeKeys::org-a-v3-keys`,
                    `urn:pulumi:test::qstack::${component}::org-a`,
                    "urn:pulumi:test::qstack::pulumi:pulumi:Stack::qstack-test",
                ],
            },
        ]);
        assert.match(missingSecretsError("test", "org-a", missingSecrets).message, /^-s: the stack's state holds no keys for v3 \(got "test"\); allowed: .*--create-keys/);
    });

    it("targets only what the state lacks, so a deployed stack's outputs are not re-registered", async () => {
        const state = founderState();
        (state.seeds as Map<string, string>).delete("org-a-v3-keys-seed");
        const { missingSecrets } = await run(state, noPartners);
        const deployed = new Set(missingSecrets[0].targets.slice(2));
        assert.deepEqual(keyTargets(missingSecrets, deployed), missingSecrets[0].targets.slice(0, 2).sort());
    });

    it("refuses bad config with the program's own message", async () => {
        const state = stateOf("org-a", { nodeIp: "10.0.0.1" }, [{ name: "Bad_Name" }], 30100);
        await assert.rejects(run(state, noPartners), (e: unknown) => e instanceof QstackError && /qstack:nodes\[0\]\.name: invalid node name/.test(e.message));
    });
});

describe("cli/render/write-render", () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
    const scratch = () => {
        const d = mkdtempSync(join(tmpdir(), "qstack-render-"));
        dirs.push(d);
        return d;
    };
    const file = (path: string, secret = false): RenderedFile => ({ path, content: `${path}\n`, secret });

    it("refuses a directory that holds anything unless --force, which replaces its whole content", () => {
        const dir = join(scratch(), "out");
        writeRender(dir, [file("a/one.yaml"), file("two.json")], { force: false });
        assert.throws(() => writeRender(dir, [file("three.json")], { force: false }), (e: unknown) => e instanceof QstackError && /^-o: directory already holds 2 entries/.test(e.message));
        assert.deepEqual(readdirSync(dir).sort(), ["a", "two.json"], "nothing changed");
        writeRender(dir, [file("three.json")], { force: true });
        assert.deepEqual(readdirSync(dir), ["three.json"]);
        assert.doesNotThrow(() => checkOutputDirectory(join(scratch(), "new"), { force: false }));
    });

    it("makes a render holding key material owner-only: files 0600, directories 0700", () => {
        const dir = join(scratch(), "out");
        writeRender(dir, [file("manifests/ns/secret-k.yaml", true), file("network/genesis.json")], { force: false });
        assert.equal(statSync(dir).mode & 0o777, 0o700);
        assert.equal(statSync(join(dir, "manifests", "ns")).mode & 0o777, 0o700);
        assert.equal(statSync(join(dir, "manifests", "ns", "secret-k.yaml")).mode & 0o777, 0o600);
        assert.equal(statSync(join(dir, "network", "genesis.json")).mode & 0o777, 0o600);
        assert.equal(readFileSync(join(dir, "network", "genesis.json"), "utf8"), "network/genesis.json\n");
    });
});
