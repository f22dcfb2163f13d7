import assert from "node:assert/strict";
import { buildExternalNode, parseExternalNodesDocument, EXTERNAL_NODES_SCHEMA_VERSION, type ExternalNodesDocument } from "../../../core/export/external-nodes";
import { computeKeyIdentity } from "../../../core/keys/secp256k1-key";
import { QstackError } from "../../../core/errors";
import { computeGenesisHash } from "../../../core/genesis/genesis";
import { nodeKeys, vectorFile } from "../../helpers/vectors";

const id = computeKeyIdentity(nodeKeys()[0]);
const node = buildExternalNode(
    { name: "v1", role: "validator", enodeId: id.enodeId, nodeAddress: id.address, accountAddress: "0xed9d02e382b34818e88b88a309c7fe71e65f419d", tesseraPublicKey: vectorFile("keys/tm1.pub").trim(), p2pNodePort: 30001, tesseraNodePort: 30002 },
    "10.1.2.3",
    "qbft",
);
const genesis = JSON.stringify({ config: { chainId: 1337 }, alloc: {} });
const doc: ExternalNodesDocument = { schemaVersion: EXTERNAL_NODES_SCHEMA_VERSION, org: "org-a", chainId: 1337, consensus: "qbft", genesisHash: computeGenesisHash(JSON.parse(genesis)), genesis, nodeIp: "10.1.2.3", nodes: [node] };

describe("core/export/external-nodes", () => {
    it("builds the enode URL on node IP + p2p NodePort and the Tessera URL on its NodePort", () => {
        assert.equal(node.enodeUrl, `enode://${id.enodeId}@10.1.2.3:30001?discport=0`);
        assert.equal(node.tesseraP2pUrl, "http://10.1.2.3:30002");
        assert.equal(node.raftNodePort, undefined);
    });
    it("adds the raft NodePort to the enode URL in raft networks", () => {
        const raft = buildExternalNode({ name: "v1", role: "validator", enodeId: id.enodeId, nodeAddress: id.address, accountAddress: id.address, p2pNodePort: 30001, raftNodePort: 30003 }, "10.1.2.3", "raft");
        assert.equal(raft.enodeUrl, `enode://${id.enodeId}@10.1.2.3:30001?discport=0&raftport=30003`);
        assert.equal(raft.raftNodePort, 30003);
    });
    it("accepts its own well-formed document", () => {
        assert.deepEqual(parseExternalNodesDocument(JSON.parse(JSON.stringify(doc)), "org-a/clusterA"), doc);
    });
    it("accepts the namespace its node pods run in, and a document from before that field", () => {
        const withNamespace = { ...doc, namespace: "org-a" };
        assert.deepEqual(parseExternalNodesDocument(JSON.parse(JSON.stringify(withNamespace)), "org-a/clusterA"), withNamespace);
        assert.equal(parseExternalNodesDocument(JSON.parse(JSON.stringify(doc)), "org-a/clusterA").namespace, undefined);
    });
    it("exports an IPv6 node IP in brackets in both URLs, and accepts that document", () => {
        const v6 = buildExternalNode({ ...{ name: "v1", role: "validator" as const, enodeId: id.enodeId, nodeAddress: id.address, accountAddress: id.address }, tesseraPublicKey: node.tesseraPublicKey, p2pNodePort: 30001, tesseraNodePort: 30002 }, "2001:db8::7", "qbft");
        assert.equal(v6.enodeUrl, `enode://${id.enodeId}@[2001:db8::7]:30001?discport=0`);
        assert.equal(v6.tesseraP2pUrl, "http://[2001:db8::7]:30002");
        const d = { ...doc, nodeIp: "2001:db8::7", nodes: [v6] };
        assert.deepEqual(parseExternalNodesDocument(JSON.parse(JSON.stringify(d)), "org-a/clusterA"), d);
    });
    for (const [what, mutate, field] of [
        ["a newer schema version", (d: any) => (d.schemaVersion = 2), "schemaVersion"],
        ["a validator address that is not the enode's", (d: any) => (d.nodes[0].validatorAddress = "0xed9d02e382b34818e88b88a309c7fe71e65f419d"), "nodes[0].validatorAddress"],
        ["an enode URL on another port", (d: any) => (d.nodes[0].enodeUrl = d.nodes[0].enodeUrl.replace("30001", "30009")), "nodes[0].enodeUrl"],
        ["a bad Tessera key", (d: any) => (d.nodes[0].tesseraPublicKey = "nope"), "nodes[0].tesseraPublicKey"],
        ["a bad genesis hash", (d: any) => (d.genesisHash = "0x12"), "genesisHash"],
        ["a genesis hash that is not the genesis' hash", (d: any) => (d.genesisHash = `0x${"cd".repeat(32)}`), "genesisHash"],
        ["a chain id that is not the genesis' chain id", (d: any) => (d.chainId = 1338), "chainId"],
        ["a document node IP that is a dotted-quad lookalike", (d: any) => (d.nodeIp = "999.1.1.1"), "nodeIp: octet 999 is out of range"],
        ["a node IP with three octets", (d: any) => (d.nodes[0].nodeIp = "10.1.2"), "nodes[0].nodeIp: has 3 dot-separated parts"],
        ["an enode URL whose host is not an address", (d: any) => (d.nodes[0].enodeUrl = d.nodes[0].enodeUrl.replace("10.1.2.3", "10.1.2.300")), "nodes[0].enodeUrl: host 10.1.2.300 octet 300 is out of range"],
        ["a Tessera URL whose host is not an address", (d: any) => (d.nodes[0].tesseraP2pUrl = "http://node_1.example:30002"), "nodes[0].tesseraP2pUrl: host node_1.example label 'node_1'"],
        ["a Tessera URL on port 0", (d: any) => (d.nodes[0].tesseraP2pUrl = "http://10.1.2.3:0"), "nodes[0].tesseraP2pUrl: port 0 is outside 1-65535"],
        ["a namespace that is not a namespace name", (d: any) => (d.namespace = "Org_A"), "namespace: not a namespace name"],
    ] as const) {
        it(`refuses ${what}, naming the partner and the field`, () => {
            const bad = JSON.parse(JSON.stringify(doc));
            mutate(bad);
            assert.throws(() => parseExternalNodesDocument(bad, "org-b/clusterB"), (e: unknown) =>
                e instanceof QstackError && e.code === "INVALID_PARTNER" && e.message.includes(`org-b/clusterB: externalNodes.${field}`));
        });
    }
});
