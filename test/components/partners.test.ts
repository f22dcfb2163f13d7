import assert from "node:assert/strict";
import { resolveConfig, type RawConfig } from "../../core/config/resolve-config";
import type { ExternalNodesDocument } from "../../core/export/external-nodes";
import { QstackError } from "../../core/errors";
import { computeGenesisHash } from "../../core/genesis/genesis";
import { loadPartners, stackListed, type PartnerIo } from "../../components/partners";
import { QuorumOrganization } from "../../components/organization";
import { exportedNodes, installMocks, ofType, promiseOf, settle } from "../helpers/mocks";

const A = "organization/qstack/clusterA";
const B = "organization/qstack/clusterB";

/** Deploys one organization under mocks with partners served by a fake io. */
async function deploy(raw: RawConfig, nodeIp: string, partners: Record<string, unknown> = {}, files: Record<string, string> = {}, exists: (s: string) => boolean | undefined = (s) => s in partners) {
    installMocks();
    const config = resolveConfig(raw);
    const io: PartnerIo = {
        stackExists: exists,
        readStackOutput: async (s) => partners[s],
        readFile: (p) => {
            if (!(p in files)) throw new Error(`ENOENT: ${p}`);
            return files[p];
        },
    };
    const consortium = await loadPartners(config, io);
    const org = new QuorumOrganization(config.org, { config, nodeIp, consortium });
    const [externalNodes, genesis, staticNodes, desiredValidators] = await Promise.all([exportedNodes(org), promiseOf(org.genesis), promiseOf(org.staticNodes), promiseOf(org.desiredValidators)]);
    await settle();
    const cm = (name: string) => ofType("kubernetes:core/v1:ConfigMap").find((r) => r.name === name)!.inputs.data;
    const tessera = new Map(config.nodes.map((n) => [n.name, JSON.parse(cm(`${config.org}-${n.name}-tessera`)["tessera-config.json"]).peer.map((p: { url: string }) => p.url) as string[]]));
    assert.deepEqual(JSON.parse(cm(`${config.org}-static-nodes`)["static-nodes.json"]), staticNodes);
    return {
        consortium,
        externalNodes,
        genesis,
        staticNodes,
        desiredValidators,
        reconcileScript: cm(`${config.org}-reconciler`)["reconcile.js"] as string,
        permissionedNodes: JSON.parse(cm(`${config.org}-permissioned-nodes`)["permissioned-nodes.json"]) as string[],
        tesseraPeers: (node: string) => tessera.get(node)!,
    };
}

const orgA: RawConfig = { org: "org-a", nodes: [{ name: "a1" }, { name: "a2" }, { name: "a3" }], partners: [B] };
const orgB: RawConfig = { org: "org-b", nodes: [{ name: "b1" }, { name: "b2", role: "member" }], partners: [A], genesisFrom: A };

describe("components/partners (handshake under Pulumi mocks)", () => {
    let founderAlone: Awaited<ReturnType<typeof deploy>>;
    let joiner: Awaited<ReturnType<typeof deploy>>;
    let founderAgain: Awaited<ReturnType<typeof deploy>>;
    before(async () => {
        founderAlone = await deploy(orgA, "10.0.10.1");
        joiner = await deploy(orgB, "10.0.20.1", { [A]: founderAlone.externalNodes });
        founderAgain = await deploy(orgA, "10.0.10.1", { [B]: joiner.externalNodes });
    });

    it("lets the founder deploy alone, reporting the partner that does not exist yet as pending", () => {
        assert.deepEqual(founderAlone.consortium.pending, [B]);
        assert.equal(founderAlone.staticNodes.length, 3);
    });

    it("makes the joiner adopt the founder's genesis byte for byte", () => {
        assert.equal(joiner.genesis, founderAlone.genesis);
        assert.equal(joiner.externalNodes.genesisHash, founderAlone.externalNodes.genesisHash);
    });

    it("merges both organizations into identical static-nodes and permissioned-nodes lists, founder first", () => {
        const expected = [...founderAlone.externalNodes.nodes, ...joiner.externalNodes.nodes].map((n) => n.enodeUrl);
        assert.deepEqual(joiner.staticNodes, expected);
        assert.deepEqual(founderAgain.staticNodes, expected);
        assert.deepEqual(joiner.permissionedNodes, expected);
        assert.deepEqual(founderAgain.permissionedNodes, expected);
    });

    it("gives every Tessera all other Tesseras of both organizations", () => {
        const all = [...founderAgain.externalNodes.nodes, ...joiner.externalNodes.nodes].map((n) => n.tesseraP2pUrl!);
        assert.deepEqual(founderAgain.tesseraPeers("a1").sort(), all.filter((u) => u !== founderAgain.externalNodes.nodes[0].tesseraP2pUrl).sort());
        assert.deepEqual(joiner.tesseraPeers("b1").sort(), all.filter((u) => u !== joiner.externalNodes.nodes[0].tesseraP2pUrl).sort());
    });

    it("keeps the founder's own export unchanged after merging, so the joiner's next preview is empty", () => {
        assert.deepEqual(founderAgain.externalNodes, founderAlone.externalNodes);
    });

    it("has both organizations' validators voted for by both, in the same order (onboarding)", () => {
        const expected = [...founderAlone.externalNodes.nodes, ...joiner.externalNodes.nodes].filter((n) => n.role === "validator").map((n) => n.validatorAddress);
        assert.equal(expected.length, 4);
        assert.deepEqual(founderAgain.desiredValidators, expected);
        assert.deepEqual(joiner.desiredValidators, expected);
        for (const v of expected) assert.ok(founderAgain.reconcileScript.includes(v.toLowerCase()));
        for (const e of joiner.staticNodes) assert.ok(founderAgain.reconcileScript.includes(e));
    });

    it("reads every partner stack at once and keeps them in configured order, whichever read finishes first", async () => {
        const C = "organization/qstack/clusterC";
        const D = "organization/qstack/clusterD";
        const third = await deploy({ org: "org-c", nodes: [{ name: "c1" }], partners: [A], genesisFrom: A }, "10.0.30.1", { [A]: founderAlone.externalNodes });
        const exports: Record<string, unknown> = { [B]: joiner.externalNodes, [C]: third.externalNodes };
        const started: string[] = [];
        const finished: string[] = [];
        const delays: Record<string, number> = { [B]: 60, [C]: 5 };
        const io: PartnerIo = {
            // Answered asynchronously, as the backend listing is; D is not deployed.
            stackExists: async (stack) => stack !== D,
            readStackOutput: async (stack) => {
                started.push(stack);
                await new Promise((r) => setTimeout(r, delays[stack]));
                finished.push(`${stack} after ${started.length} started`);
                return exports[stack];
            },
            readFile: () => assert.fail("no partner files"),
        };
        const loaded = await loadPartners(resolveConfig({ ...orgA, partners: [B, D, C] }), io);
        assert.deepEqual(started, [B, C]);
        assert.deepEqual(finished, [`${C} after 2 started`, `${B} after 2 started`], "both reads started before either finished");
        assert.deepEqual(loaded.partners.map((p) => p.source), [B, C]);
        assert.deepEqual(loaded.pending, [D]);
    });

    it("takes partners from export files with the same checks", async () => {
        const fromFile = await deploy({ ...orgB, partners: [], partnerFiles: ["partners/org-a.json"], genesisFrom: "partners/org-a.json" }, "10.0.20.1", {}, {
            "partners/org-a.json": JSON.stringify(founderAlone.externalNodes),
        });
        assert.equal(fromFile.genesis, founderAlone.genesis);
        assert.deepEqual(fromFile.staticNodes, joiner.staticNodes);
    });

    describe("refuses inconsistent partners with the partner and field named", () => {
        const expectPartnerError = async (raw: RawConfig, partners: Record<string, unknown>, pattern: RegExp, files: Record<string, string> = {}) => {
            await assert.rejects(deploy(raw, "10.0.20.1", partners, files), (e: unknown) => {
                assert.ok(e instanceof QstackError, String(e));
                assert.match(e.message, pattern);
                return true;
            });
        };
        const mutated = (mutate: (d: any) => void): ExternalNodesDocument => {
            const d = JSON.parse(JSON.stringify(founderAlone.externalNodes));
            mutate(d);
            return d;
        };

        it("an unsupported export schema version", () =>
            expectPartnerError(orgB, { [A]: mutated((d) => (d.schemaVersion = 99)) }, /organization\/qstack\/clusterA: externalNodes\.schemaVersion: unsupported export schema version \(got 99\); allowed: 1/));
        it("a different chain id", () =>
            expectPartnerError({ ...orgB, chainId: 4242 }, { [A]: founderAlone.externalNodes }, /clusterA: externalNodes\.chainId: differs from this network's chain id \(got 1337\); allowed: 4242/));
        it("a different consensus", () =>
            expectPartnerError({ ...orgB, consensus: "ibft" }, { [A]: founderAlone.externalNodes }, /clusterA: externalNodes\.consensus: differs/));
        it("a malformed enode URL", () =>
            expectPartnerError(orgB, { [A]: mutated((d) => (d.nodes[0].enodeUrl = "enode://zz@1.2.3.4:1")) }, /clusterA: externalNodes\.nodes\[0\]\.enodeUrl/));
        it("a port out of range", () =>
            expectPartnerError(orgB, { [A]: mutated((d) => (d.nodes[1].p2pNodePort = 70000)) }, /clusterA: externalNodes\.nodes\[1\]\.p2pNodePort: not a port/));
        it("a partner whose genesis differs from the founder's", async () => {
            const other = mutated((d) => {
                d.org = "org-c";
                d.nodes = [];
                d.genesis = d.genesis.replace('"chainId": 1337', '"chainId": 1337, "berlinBlock": 0');
                d.genesisHash = computeGenesisHash(JSON.parse(d.genesis));
            });
            await expectPartnerError({ ...orgB, partners: [A, "organization/qstack/clusterC"] }, { [A]: founderAlone.externalNodes, "organization/qstack/clusterC": other }, /clusterC: externalNodes\.genesisHash: differs from the founder's genesis \(organization\/qstack\/clusterA\)/);
        });
        it("a node name used by two organizations", () =>
            expectPartnerError({ ...orgB, nodes: [{ name: "a1" }] }, { [A]: founderAlone.externalNodes }, /clusterA: externalNodes\.nodes\[0\]\.name: node name already used by this organization/));
        it("the same enode id in two organizations", async () => {
            const copy = mutated((d) => {
                d.org = "org-c";
                d.nodes = d.nodes.map((n: any) => ({ ...n, name: `c-${n.name}` }));
            });
            await expectPartnerError({ ...orgB, partners: [A, "clusterC"] }, { [A]: founderAlone.externalNodes, clusterC: copy }, /clusterC: externalNodes\.nodes\[0\]\.enodeId: enode id already used by organization\/qstack\/clusterA/);
        });
        it("a partner claiming to be this organization", () =>
            expectPartnerError({ ...orgB, org: "org-a", nodes: [{ name: "x1" }] }, { [A]: founderAlone.externalNodes }, /externalNodes\.org: is this organization's own name/));
        it("a founder that has not been deployed yet", () =>
            expectPartnerError(orgB, {}, /qstack:genesisFrom: the founder stack has not been deployed yet/));
        it("an unreadable partner file", () =>
            expectPartnerError({ ...orgB, partners: [], partnerFiles: ["missing.json"], genesisFrom: "missing.json" }, {}, /missing\.json: cannot read partner file/));
    });

    it("refuses, in the founder's stack, a partner that adopted another genesis", async () => {
        const foreign = JSON.parse(JSON.stringify(joiner.externalNodes));
        const otherGenesis = JSON.parse(foreign.genesis);
        otherGenesis.timestamp = "0x1";
        foreign.genesis = JSON.stringify(otherGenesis);
        foreign.genesisHash = computeGenesisHash(otherGenesis);
        await assert.rejects(deploy(orgA, "10.0.10.1", { [B]: foreign }), /clusterB: externalNodes\.genesisHash: differs from this network's genesis/);
    });

    it("matches partner stacks as `pulumi stack ls --all` lists them: this project's short, other projects' qualified", () => {
        assert.ok(stackListed(B, new Set(["clusterB"]), "qstack"));
        assert.ok(stackListed(B, new Set([B]), "qstack"));
        assert.ok(!stackListed(B, new Set(["clusterA"]), "qstack"));
        // A program of another project (the library's consumer) sees qstack's stacks qualified.
        assert.ok(stackListed(B, new Set(["orgLib", "organization/qstack/clusterA", B]), "existing-program"));
        assert.ok(!stackListed(B, new Set(["clusterB"]), "existing-program"), "its own clusterB is not qstack's");
        assert.ok(!stackListed("organization/other/clusterB", new Set([B]), "existing-program"));
        assert.ok(stackListed("organization/existing-program/orgLib", new Set(["orgLib"]), "existing-program"));
    });
});
