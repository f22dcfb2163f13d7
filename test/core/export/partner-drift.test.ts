import assert from "node:assert/strict";
import { buildExternalNode, EXTERNAL_NODES_SCHEMA_VERSION, type ExternalNodesDocument } from "../../../core/export/external-nodes";
import { consumedPartner, describeDrift, externalNodesDigest } from "../../../core/export/partner-drift";
import { computeKeyIdentity } from "../../../core/keys/secp256k1-key";
import { computeGenesisHash } from "../../../core/genesis/genesis";
import { nodeKeys, vectorFile } from "../../helpers/vectors";

const [k1, k2] = nodeKeys().map((k) => computeKeyIdentity(k));
const tm = vectorFile("keys/tm1.pub").trim();
const node = (name: string, id: { enodeId: string; address: string }, p2p: number, ip = "10.1.2.3", role: "validator" | "member" = "validator") =>
    buildExternalNode({ name, role, enodeId: id.enodeId, nodeAddress: id.address, accountAddress: id.address, tesseraPublicKey: tm, p2pNodePort: p2p, tesseraNodePort: p2p + 1 }, ip, "qbft");
const genesis = JSON.stringify({ config: { chainId: 1337 }, alloc: {} });
const doc: ExternalNodesDocument = {
    schemaVersion: EXTERNAL_NODES_SCHEMA_VERSION,
    org: "org-b",
    chainId: 1337,
    consensus: "qbft",
    genesisHash: computeGenesisHash(JSON.parse(genesis)),
    genesis,
    nodeIp: "10.1.2.3",
    nodes: [node("b1", k1, 31001)],
};
const consumed = consumedPartner("organization/qstack/clusterB", "stack", doc);

describe("core/export/partner-drift", () => {
    it("the digest depends on the content only, not on the key order it was built or parsed in", () => {
        const reordered = JSON.parse(JSON.stringify({ nodes: doc.nodes, genesis: doc.genesis, org: doc.org, schemaVersion: 1, chainId: 1337, consensus: "qbft", genesisHash: doc.genesisHash, nodeIp: doc.nodeIp }));
        assert.equal(externalNodesDigest(reordered), externalNodesDigest(doc));
        assert.match(consumed.digest, /^0x[0-9a-f]{64}$/);
        assert.notEqual(externalNodesDigest({ ...doc, org: "org-c" }), consumed.digest);
    });

    it("records what the peer lists depend on: node IP and each node's name, role, enode id and ports", () => {
        assert.deepEqual(consumed, {
            source: "organization/qstack/clusterB",
            via: "stack",
            org: "org-b",
            nodes: 1,
            digest: externalNodesDigest(doc),
            nodeIp: "10.1.2.3",
            consumedNodes: [{ name: "b1", role: "validator", enodeId: k1.enodeId, p2pNodePort: 31001, tesseraP2pUrl: "http://10.1.2.3:31002" }],
        });
    });

    it("reports nothing for the same export", () => {
        assert.deepEqual(describeDrift(consumed, JSON.parse(JSON.stringify(doc))), []);
    });

    it("names an added and a removed node", () => {
        assert.deepEqual(describeDrift(consumed, { ...doc, nodes: [...doc.nodes, node("b2", k2, 31003, "10.1.2.3", "member")] }), ["node b2 added"]);
        assert.deepEqual(describeDrift(consumed, { ...doc, nodes: [] }), ["node b1 removed"]);
    });

    it("names a changed node IP, NodePort, Tessera URL, identity and role", () => {
        assert.deepEqual(describeDrift(consumed, { ...doc, nodeIp: "10.9.9.9", nodes: [node("b1", k1, 31001, "10.9.9.9")] }), ["node IP 10.1.2.3 -> 10.9.9.9", "node b1 Tessera URL http://10.1.2.3:31002 -> http://10.9.9.9:31002"]);
        assert.deepEqual(describeDrift(consumed, { ...doc, nodes: [node("b1", k1, 31005)] }), ["node b1 p2p NodePort 31001 -> 31005", "node b1 Tessera URL http://10.1.2.3:31002 -> http://10.1.2.3:31006"]);
        assert.deepEqual(describeDrift(consumed, { ...doc, nodes: [node("b1", k2, 31001)] }), ["node b1 enode id changed (new keys)"]);
        assert.deepEqual(describeDrift(consumed, { ...doc, nodes: [node("b1", k1, 31001, "10.1.2.3", "member")] }), ["node b1 role validator -> member"]);
    });

    it("still reports a change its node facts do not show, by the digests", () => {
        const [line] = describeDrift(consumed, { ...doc, genesis: JSON.stringify({ config: { chainId: 1337 }, alloc: { "0x01": {} } }) });
        assert.match(line, /^export changed \(digest 0x[0-9a-f]{8}… -> 0x[0-9a-f]{8}…\), not in its nodes or node IP$/);
    });
});
