import assert from "node:assert/strict";
import { buildExternalNode, EXTERNAL_NODES_SCHEMA_VERSION, type ExternalNodesDocument } from "../../../core/export/external-nodes";
import { QstackError } from "../../../core/errors";
import { computeGenesisHash } from "../../../core/genesis/genesis";
import { computeKeyIdentity } from "../../../core/keys/secp256k1-key";
import { checkNodePortClashes } from "../../../core/peers/consortium";
import { nodeKeys, vectorFile } from "../../helpers/vectors";

const id = computeKeyIdentity(nodeKeys()[0]);
const genesis = JSON.stringify({ config: { chainId: 1337 }, alloc: {} });
/** A partner with one node whose p2p NodePort is 30100 and Tessera NodePort 30101. */
const partner = (nodeIp: string): ExternalNodesDocument => ({
    schemaVersion: EXTERNAL_NODES_SCHEMA_VERSION,
    org: "org-c",
    chainId: 1337,
    consensus: "qbft",
    genesisHash: computeGenesisHash(JSON.parse(genesis)),
    genesis,
    nodeIp,
    nodes: [buildExternalNode({ name: "c1", role: "validator", enodeId: id.enodeId, nodeAddress: id.address, accountAddress: id.address, tesseraPublicKey: vectorFile("keys/tm1.pub").trim(), p2pNodePort: 30100, tesseraNodePort: 30101 }, nodeIp, "qbft")],
});

describe("core/peers/consortium: NodePort clashes between organizations of one cluster", () => {
    it("refuses a pinned NodePort a partner on the same node IP exports, naming the node, the port and the holder", () => {
        assert.throws(
            () => checkNodePortClashes("10.213.0.10", [{ name: "a1", nodePorts: {} }, { name: "a2", nodePorts: { p2p: 30200, tessera: 30101 } }], [{ source: "clusterC", doc: partner("10.213.0.10") }]),
            (e: unknown) => {
                assert.ok(e instanceof QstackError && e.code === "INVALID_CONFIG");
                assert.equal(
                    e.message,
                    "NodePort clash with a partner in the same cluster:\n  - qstack:nodes[1].nodePorts.tessera: NodePort already exported by org-c's node c1, a partner on the same node IP 10.213.0.10 (one cluster, one NodePort range) (got 30101); allowed: another free port of the cluster's NodePort range, or omit it and let the API server allocate one",
                );
                return true;
            },
        );
    });

    it("accepts the same port for a partner on another node IP (another cluster), and ports the API server allocates", () => {
        assert.doesNotThrow(() => checkNodePortClashes("10.213.0.10", [{ name: "a1", nodePorts: { p2p: 30100 } }], [{ source: "clusterC", doc: partner("10.213.0.20") }]));
        assert.doesNotThrow(() => checkNodePortClashes("10.213.0.10", [{ name: "a1", nodePorts: {} }], [{ source: "clusterC", doc: partner("10.213.0.10") }]));
    });
});
