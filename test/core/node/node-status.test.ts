import assert from "node:assert/strict";
import { buildNodeStatusScript, parseNodeStatus } from "../../../core/node/node-status";

describe("core/node/node-status", () => {
    it("asks the consensus' own API whether the node validates", () => {
        assert.match(buildNodeStatusScript("qbft", true), /istanbul.getValidators\(\).*istanbul.nodeAddress\(\)/);
        assert.match(buildNodeStatusScript("clique", true), /clique.getSigners\(\).*eth.coinbase/);
        assert.match(buildNodeStatusScript("raft", true), /raft.role/);
    });

    it("checks Tessera's /upcheck from inside the pod only for nodes that run it", () => {
        assert.match(buildNodeStatusScript("qbft", true), /http:\/\/127.0.0.1:9000\/upcheck/);
        assert.doesNotMatch(buildNodeStatusScript("qbft", false), /upcheck/);
    });

    it("reads a raft node's role", () => {
        const s = parseNodeStatus('QSTATUS {"block":7,"peers":2,"raftRole":"minter","validator":true}\nundefined\nQTESSERA up\n', true);
        assert.deepEqual(s, { block: 7, peers: 2, validator: true, raftRole: "minter", tessera: "up" });
    });

    it("reports geth's last words when it did not answer", () => {
        const s = parseNodeStatus("Fatal: Unable to attach to remote geth: dial unix /data/quorum/geth.ipc: connect: no such file or directory\nQTESSERA down\n", true);
        assert.equal(s.tessera, "down");
        assert.match(s.error!, /Unable to attach to remote geth/);
    });

    it("keeps height and peers when only the validator question failed", () => {
        const s = parseNodeStatus('QSTATUS {"block":3,"peers":1,"validatorError":"ReferenceError: istanbul is not defined"}\n', false);
        assert.equal(s.block, 3);
        assert.equal(s.tessera, "n/a");
        assert.match(s.error!, /istanbul is not defined/);
    });
});
