import assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import { buildNodeStatusConsoleScript, buildNodeStatusScript, parseNodeStatus } from "../../../core/node/node-status";
import { RECORDING, recordedConsole } from "../../helpers/recorded-console";

describe("core/node/node-status", () => {
    it("asks GoQuorum 24.4.1's console (as recorded) whether a BFT node validates, for a validator and a non-validator", () => {
        const ask = (state: Record<string, unknown>) => {
            let out = "";
            runInNewContext(buildNodeStatusConsoleScript("qbft"), { ...recordedConsole(state).context, console: { log: (l: string) => (out += l) } });
            return parseNodeStatus(out, false);
        };
        const recorded = ask({});
        assert.deepEqual([recorded.block, recorded.peers, recorded.validator, recorded.error], [RECORDING.members["eth.blockNumber"].value, 3, true, undefined]);
        assert.equal(ask({ "istanbul.nodeAddress": "0x00000000000000000000000000000000000000bb" }).validator, false);
    });

    it("asks the consensus' own API whether the node validates", () => {
        assert.match(buildNodeStatusScript("qbft", true), /istanbul.getValidators\('latest'\).*String\(istanbul.nodeAddress\)/);
        assert.match(buildNodeStatusScript("clique", true), /clique.getSigners\(\).*eth.coinbase/);
        assert.match(buildNodeStatusScript("raft", true), /raft.role/);
    });

    it("checks Tessera's /upcheck from inside the pod only for nodes that run it", () => {
        assert.match(buildNodeStatusScript("qbft", true), /timeout 3 wget -q -O - http:\/\/127.0.0.1:9000\/upcheck/);
        // BusyBox 1.35's wget segfaults with -T (seen on the lab's real nodes): the deadline is timeout's.
        assert.doesNotMatch(buildNodeStatusScript("qbft", true), /wget[^|]*-T/);
        assert.doesNotMatch(buildNodeStatusScript("qbft", false), /upcheck/);
    });

    it("reads the reconciler's status file from the pod's shared /tmp", () => {
        assert.match(buildNodeStatusScript("qbft", false), /echo "QRECONCILE \$\(cat \/tmp\/qstack-reconcile.status 2>\/dev\/null\)"/);
        const s = parseNodeStatus('QSTATUS {"block":3,"peers":1,"validator":true}\nQRECONCILE failed 1764580010 TypeError: boom\n', false);
        assert.deepEqual(s.reconciler, { state: "failed", at: 1764580010, detail: "TypeError: boom" });
        assert.deepEqual(parseNodeStatus('QSTATUS {"block":3,"peers":1}\nQRECONCILE \n', false).reconciler, { state: "not-run" });
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
