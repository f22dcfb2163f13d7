import assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import { buildReconcileScript, buildReconcilerCommand } from "../../../core/node/reconciler";
import { vectorJson } from "../../helpers/vectors";

const urls = vectorJson<string[]>("permissioned-nodes.json").map((u) => u.replace(/&raftport=\d+/, ""));
const id = (u: string) => /enode:\/\/([0-9a-f]+)@/.exec(u)![1];
const V = ["0xD8Dba507e85F116b1f7e231cA8525fC9008A6966", "0x6571d97f340c8495b661a823f2c2145ca47d63c2", "0xe36cbeb565b061217930767886474e3cde903ac5"];

/** Runs the generated script against a fake geth console; returns the calls it made. */
function run(script: string, state: { self: string; peers: string[]; validators?: string[]; me?: string }): string[] {
    const calls: string[] = [];
    const context = {
        admin: {
            nodeInfo: { enode: state.self },
            peers: state.peers.map((p) => ({ id: id(p), enode: p })),
            addPeer: (u: string) => calls.push(`addPeer ${id(u).slice(0, 8)}`),
            removePeer: (u: string) => calls.push(`removePeer ${id(u).slice(0, 8)}`),
        },
        istanbul: state.validators && {
            nodeAddress: () => state.me,
            getValidators: () => state.validators,
            propose: (a: string, auth: boolean) => calls.push(`propose ${a.slice(0, 6)} ${auth}`),
        },
        console: { log: () => undefined },
    };
    runInNewContext(script, context);
    return calls;
}

describe("core/node/reconciler", () => {
    it("connects to every desired node it is not connected to, never to itself", () => {
        const script = buildReconcileScript({ consensus: "qbft", enodes: urls.slice(0, 4), validators: [] });
        assert.deepEqual(run(script, { self: urls[0], peers: [urls[1]] }), [`addPeer ${id(urls[2]).slice(0, 8)}`, `addPeer ${id(urls[3]).slice(0, 8)}`]);
    });

    it("drops peers that are no longer desired", () => {
        const script = buildReconcileScript({ consensus: "raft", enodes: urls.slice(0, 2), validators: [] });
        assert.deepEqual(run(script, { self: urls[0], peers: [urls[1], urls[5]] }), [`removePeer ${id(urls[5]).slice(0, 8)}`]);
    });

    it("on a current validator, votes in desired validators missing from the set", () => {
        const script = buildReconcileScript({ consensus: "qbft", enodes: [urls[0]], validators: V });
        const calls = run(script, { self: urls[0], peers: [], validators: [V[0].toLowerCase(), V[1]], me: V[0] });
        assert.deepEqual(calls, ["propose 0xe36c true"]);
    });

    it("votes out validators that are no longer desired", () => {
        const script = buildReconcileScript({ consensus: "ibft", enodes: [urls[0]], validators: V.slice(0, 2) });
        assert.deepEqual(run(script, { self: urls[0], peers: [], validators: V, me: V[0] }), ["propose 0xe36c false"]);
    });

    it("does not vote from a node that is not a validator (its vote would not count)", () => {
        const script = buildReconcileScript({ consensus: "qbft", enodes: [urls[0]], validators: V });
        assert.deepEqual(run(script, { self: urls[0], peers: [], validators: [V[1]], me: V[0] }), []);
    });

    it("never votes in raft or clique networks", () => {
        for (const consensus of ["raft", "clique"] as const) {
            const script = buildReconcileScript({ consensus, enodes: [urls[0]], validators: V });
            assert.deepEqual(run(script, { self: urls[0], peers: [], validators: [V[0]], me: V[0] }), []);
        }
    });

    it("runs in a loop over the in-pod IPC socket only", () => {
        const [sh, flag, loop] = buildReconcilerCommand();
        assert.equal(`${sh} ${flag}`, "/bin/sh -c");
        assert.match(loop, /geth attach --exec 'loadScript\("\/qstack\/reconciler\/reconcile.js"\)' \/data\/quorum\/geth.ipc/);
    });
});
