import assert from "node:assert/strict";
import { buildStaticNodes, buildTesseraPeers, type PeerNode } from "../../../core/peers/peer-lists";
import { vectorJson } from "../../helpers/vectors";

const urls = vectorJson<string[]>("permissioned-nodes.json");
const nodes: PeerNode[] = urls.map((u, i) => {
    const m = /^enode:\/\/([0-9a-f]+)@([\d.]+):(\d+)\?discport=0&raftport=(\d+)$/.exec(u)!;
    return { name: `node${i + 1}`, enodeId: m[1], host: m[2], p2pPort: Number(m[3]), raftPort: Number(m[4]), tesseraUrl: `http://127.0.0.1:${9001 + i}` };
});

describe("core/peers/peer-lists", () => {
    it("writes raft static nodes exactly as quorum-examples permissioned-nodes.json", () => {
        assert.deepEqual(buildStaticNodes(nodes, "raft"), urls);
    });
    it("keeps the given order (raft IDs are positions)", () => {
        assert.deepEqual(buildStaticNodes([nodes[2], nodes[0]], "raft"), [urls[2], urls[0]]);
    });
    it("omits raftport for BFT networks", () => {
        assert.ok(buildStaticNodes(nodes, "qbft").every((u) => u.endsWith("?discport=0")));
    });
    it("lists every other Tessera as a peer, never itself", () => {
        const peers = buildTesseraPeers(nodes, "node1");
        assert.equal(peers.length, 6);
        assert.ok(!peers.includes("http://127.0.0.1:9001"));
    });
});
