import assert from "node:assert/strict";
import { formatPartnerStatus, partnerStatus, type StatusSources } from "../../../cli/network/partner-status";
import { buildExternalNode, EXTERNAL_NODES_SCHEMA_VERSION, type ExternalNodesDocument } from "../../../core/export/external-nodes";
import { consumedPartner } from "../../../core/export/partner-drift";
import { computeGenesisHash } from "../../../core/genesis/genesis";
import { computeKeyIdentity } from "../../../core/keys/secp256k1-key";
import { nodeKeys } from "../../helpers/vectors";

const ids = nodeKeys().map((k) => computeKeyIdentity(k));
const genesis = JSON.stringify({ config: { chainId: 1337 }, alloc: {} });
function doc(org: string, ip: string, nodes: [string, number][]): ExternalNodesDocument {
    return {
        schemaVersion: EXTERNAL_NODES_SCHEMA_VERSION,
        org,
        chainId: 1337,
        consensus: "qbft",
        genesisHash: computeGenesisHash(JSON.parse(genesis)),
        genesis,
        nodeIp: ip,
        nodes: nodes.map(([name, i]) => buildExternalNode({ name, role: "validator", enodeId: ids[i].enodeId, nodeAddress: ids[i].address, accountAddress: ids[i].address, p2pNodePort: 30000 + i }, ip, "qbft")),
    };
}

/** Three organizations' stack outputs, as the program exports them: each consumed the others' exports of the time. */
function network() {
    const a = doc("org-a", "10.0.0.1", [["a1", 0]]);
    const b = doc("org-b", "10.0.0.2", [["b1", 1]]);
    const c = doc("org-c", "10.0.0.3", [["c1", 2]]);
    const outputs: Record<string, Record<string, unknown>> = {
        clusterA: { externalNodes: a, partners: [consumedPartner("clusterB", "stack", b), consumedPartner("clusterC", "stack", c)], pendingPartners: [] },
        clusterB: { externalNodes: b, partners: [consumedPartner("clusterA", "stack", a), consumedPartner("clusterC", "stack", c)], pendingPartners: [] },
        clusterC: { externalNodes: c, partners: [consumedPartner("clusterA", "stack", a), consumedPartner("clusterB", "stack", b)], pendingPartners: [] },
    };
    const files: Record<string, string> = {};
    const sources: StatusSources = { outputs: async (s) => outputs[s], readFile: (p) => files[p] ?? (() => { throw new Error(`ENOENT ${p}`); })() };
    return { outputs, files, sources, a, b, c };
}

describe("cli/network/partner-status", () => {
    it("reports a converged network as up to date", async () => {
        const { sources } = network();
        const r = await partnerStatus(["clusterA", "clusterB", "clusterC"], sources);
        assert.deepEqual(r.map((x) => [x.stack, x.stale, x.partners]), [["clusterA", false, 2], ["clusterB", false, 2], ["clusterC", false, 2]]);
    });

    it("after a node is added to one organization, names exactly the others as stale, with the node and what to run", async () => {
        const { outputs, sources, b } = network();
        outputs.clusterB.externalNodes = { ...b, nodes: [...b.nodes, ...doc("org-b", "10.0.0.2", [["b2", 3]]).nodes] };
        const r = await partnerStatus(["clusterA", "clusterB", "clusterC"], sources);
        assert.deepEqual(r.filter((x) => x.stale).map((x) => x.stack), ["clusterA", "clusterC"]);
        assert.deepEqual(r[0].drift, [{ partner: "clusterB", org: "org-b", changes: ["node b2 added"] }]);
        const text = formatPartnerStatus(r, ["clusterA", "clusterB", "clusterC"]).join("\n");
        assert.match(text, /^clusterA: STALE\n  clusterB \(org-b\): node b2 added\n  run: pulumi up -s clusterA\nclusterB: up to date \(2 partner exports consumed, all current\)\nclusterC: STALE/);
        assert.match(text, /or, for every stale stack at once: qctl network up --stacks clusterA,clusterB,clusterC$/);
    });

    it("names a changed node IP", async () => {
        const { outputs, sources } = network();
        outputs.clusterC.externalNodes = doc("org-c", "10.0.0.9", [["c1", 2]]);
        const [a] = await partnerStatus(["clusterA"], sources);
        assert.deepEqual(a.drift[0].changes, ["node IP 10.0.0.3 -> 10.0.0.9"]);
    });

    it("reads a file partner from the file, and a stack that was waiting for a partner that has deployed since is stale", async () => {
        const { outputs, files, sources, c } = network();
        files["org-c.json"] = JSON.stringify(doc("org-c", "10.0.0.3", [["c1", 2], ["c2", 3]]));
        outputs.clusterA.partners = [consumedPartner("org-c.json", "file", c)];
        outputs.clusterA.pendingPartners = ["clusterB"];
        const [a] = await partnerStatus(["clusterA"], sources);
        assert.deepEqual(a.drift, [
            { partner: "org-c.json", org: "org-c", changes: ["node c2 added"] },
            { partner: "clusterB", changes: ["deployed since this stack's last update (it was pending)"] },
        ]);
    });

    it("treats a stack that never deployed, and one that recorded no digests (older qstack), as stale with the reason", async () => {
        const { outputs, sources } = network();
        outputs.clusterB.partners = [{ source: "clusterA", org: "org-a", nodes: 1 }];
        const r = await partnerStatus(["clusterB", "clusterZ"], sources);
        assert.deepEqual(r[0].drift[0].changes, ["consumed before qstack recorded export digests; update once to record it"]);
        assert.deepEqual(r[1], { stack: "clusterZ", stale: true, partners: 0, drift: [{ partner: "clusterZ", changes: ["not deployed yet (no outputs)"] }] });
    });

    it("reads each stack's outputs once, however many stacks consumed it", async () => {
        const { sources } = network();
        const reads: string[] = [];
        const counting: StatusSources = { outputs: (s) => (reads.push(s), sources.outputs(s)), readFile: sources.readFile };
        await partnerStatus(["clusterA", "clusterB", "clusterC"], counting);
        assert.deepEqual(reads.sort(), ["clusterA", "clusterB", "clusterC"]);
    });
});
