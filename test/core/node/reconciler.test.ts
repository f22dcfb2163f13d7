/**
 * The reconciler script against a console built from GoQuorum 24.4.1's recorded answers
 * (test/helpers/recorded-console.js). The recording is of a-validator1 in a network of three
 * founder validators and one joiner validator, all four connected; its static-nodes list is the
 * consortium's. The same script is run on real geth processes in test/e2e/reconciler-geth.test.ts.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { keccak256 } from "ethers";
import {
    buildReconcileScript,
    buildReconcilerCommand,
    parseReconcilerStatus,
    RECONCILE_OK_MARKER,
} from "../../../core/node/reconciler";
import { RECORDING, recordedConsole } from "../../helpers/recorded-console";

type Peer = { id: string; enode: string };
const m = RECORDING.members;
const desired = RECORDING.staticNodes;
const peers = m["admin.peers"].value as Peer[];
const validators = m["istanbul.getValidators"].value as string[];
const self = m["istanbul.nodeAddress"].value as string;
const publicKey = (url: string) => /^enode:\/\/([0-9a-f]{128})@/.exec(url)![1];
const addressOf = (url: string) => `0x${keccak256(`0x${publicKey(url)}`).slice(-40)}`;
/** The joiner: in the desired list, connected, and not a validator yet. */
const joinerUrl = desired.find((u) => !validators.includes(addressOf(u)))!;
const joiner = addressOf(joinerUrl);
const founderUrls = desired.filter((u) => u !== joinerUrl);

function run(script: string, state: Record<string, unknown> = {}): { calls: string[]; log: string } {
    const { context, calls } = recordedConsole(state);
    let log = "";
    runInNewContext(script, { ...context, console: { log: (s: string) => (log += s) } });
    return { calls, log };
}

const bft = (validatorList: readonly string[], enodes: readonly string[] = desired) =>
    buildReconcileScript({ consensus: "qbft", enodes, validators: validatorList });

describe("core/node/reconciler", () => {
    it("the recording is what the script relies on: peers carry a 64-hex id and the 128-hex public key in .enode", () => {
        assert.equal(peers[0].id.length, 64);
        assert.equal(publicKey(peers[0].enode).length, 128);
        assert.notEqual(peers[0].id, publicKey(peers[0].enode));
        assert.equal(m["istanbul.nodeAddress"].type, "string", "nodeAddress is a property in 24.4.1");
        // the fake's keccak gives what geth's web3.sha3 gave for the same input
        const { context } = recordedConsole();
        const ownUrl = (m["admin.nodeInfo"].value as Peer).enode;
        assert.equal(context.web3.sha3(`0x${publicKey(ownUrl)}`, { encoding: "hex" }), m["web3.sha3"].value);
    });

    it("leaves a full mesh alone: no peer added, none removed, when every desired node is connected", () => {
        const { calls, log } = run(bft([...validators, joiner]));
        assert.deepEqual(calls.filter((c) => c.startsWith("admin.")), []);
        assert.match(log, new RegExp(`^${RECONCILE_OK_MARKER} peers=3 added=0 removed=0 `));
    });

    it("connects to a desired node it is not connected to, and touches no connected peer", () => {
        const missing = peers[1];
        const { calls } = run(bft(validators), { "admin.peers": peers.filter((p) => p !== missing) });
        const url = desired.find((u) => publicKey(u) === publicKey(missing.enode))!;
        assert.deepEqual(calls.filter((c) => c.startsWith("admin.")), [`admin.addPeer(${JSON.stringify(url)})`]);
    });

    it("drops only a connected peer that is no longer desired", () => {
        const { calls } = run(bft(validators, founderUrls));
        const dropped = peers.find((p) => publicKey(p.enode) === publicKey(joinerUrl))!;
        assert.deepEqual(calls.filter((c) => c.startsWith("admin.")), [`admin.removePeer(${JSON.stringify(dropped.enode)})`]);
    });

    it("on a current validator, votes in a desired validator that is connected", () => {
        const { calls, log } = run(bft([...validators, joiner]));
        assert.deepEqual(calls.filter((c) => c.startsWith("istanbul.")), [`istanbul.propose(${JSON.stringify(joiner)}, true)`]);
        assert.match(log, / votes=1 waiting=0 /);
    });

    it("waits to vote in a desired validator until it is connected (a validator that is not running would stall the chain)", () => {
        const { calls, log } = run(bft([...validators, joiner]), { "admin.peers": peers.filter((p) => publicKey(p.enode) !== publicKey(joinerUrl)) });
        assert.deepEqual(calls.filter((c) => c.startsWith("istanbul.")), []);
        assert.match(log, / votes=0 waiting=1 /);
    });

    it("votes out a validator that is no longer desired", () => {
        const leaving = validators.find((v) => v !== self)!;
        const { calls } = run(bft(validators.filter((v) => v !== leaving)));
        assert.deepEqual(calls.filter((c) => c.startsWith("istanbul.")), [`istanbul.propose(${JSON.stringify(leaving)}, false)`]);
    });

    it("discards a candidate whose vote has taken effect, and keeps one still pending", () => {
        const pending = m["istanbul.candidates#pending"].value as Record<string, boolean>;
        const [address] = Object.keys(pending);
        const done = run(bft([...validators, address]), { "istanbul.candidates": pending, "istanbul.getValidators": [...validators, address] });
        assert.deepEqual(done.calls, [`istanbul.discard(${JSON.stringify(address)})`]);
        const open = run(bft([...validators, address]), { "istanbul.candidates": pending });
        assert.ok(!open.calls.some((c) => c.startsWith("istanbul.discard")));
    });

    it("does not vote from a node that is not a validator (its vote would not count)", () => {
        const { calls } = run(bft([...validators, joiner]), { "istanbul.nodeAddress": joiner });
        assert.deepEqual(calls.filter((c) => c.startsWith("istanbul.")), []);
    });

    it("never votes in raft or clique networks", () => {
        for (const consensus of ["raft", "clique"] as const) {
            const script = buildReconcileScript({ consensus, enodes: desired, validators: [joiner] });
            assert.deepEqual(run(script).calls.filter((c) => c.startsWith("istanbul.")), []);
        }
    });

    it("runs the script in a loop over the in-pod IPC socket, and counts a run as good only by its OK line", () => {
        const [sh, flag, loop] = buildReconcilerCommand();
        assert.equal(`${sh} ${flag}`, "/bin/sh -c");
        assert.match(loop, /ipc='\/data\/quorum\/geth.ipc'; script='\/qstack\/reconciler\/reconcile.js'; status='\/tmp\/qstack-reconcile.status'/);
        assert.match(loop, /geth attach --exec "loadScript\('\$script'\)" "\$ipc"/);
        assert.match(loop, /grep '\^qstack-reconcile ok '/);
        assert.match(loop, /qstack-reconcile FAILED/);
        assert.deepEqual(loop.match(/exit[^\n]*/g), ["exit 0' TERM INT"], "a failing run must not stop the container (the pod would go NotReady): only SIGTERM ends the loop");
    });

    it("stops at once on SIGTERM as its container's PID 1, instead of making every pod deletion wait out the grace period", async function () {
        this.timeout(10_000);
        // PID 1 of a PID namespace (the container's shell) gets no default action for SIGTERM:
        // only a trapped signal reaches it. The loop runs as the kubelet runs it, in its own
        // namespace (unprivileged through a user namespace), idle because there is no IPC socket.
        const [sh, flag, loop] = buildReconcilerCommand({ ipc: "/nonexistent/geth.ipc", script: "/nonexistent/r.js", statusFile: "/nonexistent/s", intervalSeconds: 30, idleIntervalSeconds: 60 });
        const ns = spawn("unshare", ["--user", "--map-root-user", "--pid", "--fork", sh, flag, loop], { stdio: "ignore" });
        const exited = new Promise<number | null>((resolve) => ns.once("exit", (code) => resolve(code)));
        try {
            let pid1: number | undefined;
            for (let i = 0; i < 100 && !pid1; i++) {
                await new Promise((r) => setTimeout(r, 20));
                pid1 = Number(readFileSync(`/proc/${ns.pid}/task/${ns.pid}/children`, "utf8").trim().split(" ")[0]) || undefined;
            }
            assert.ok(pid1, "the loop started in its own PID namespace");
            await new Promise((r) => setTimeout(r, 200)); // into its sleep
            const sent = Date.now();
            process.kill(pid1, "SIGTERM");
            const code = await Promise.race([exited, new Promise<"running">((r) => setTimeout(() => r("running"), 3000))]);
            assert.equal(code, 0, "the loop exited 0 on SIGTERM (not still running into a SIGKILL)");
            assert.ok(Date.now() - sent < 3000);
        } finally {
            ns.kill("SIGKILL");
        }
    });

    it("runs every interval while there is work, once per idle interval when there is none, and at once when the script changes", async function () {
        this.timeout(30_000);
        // The run's output is what the script prints against the recorded console: idle (a full
        // mesh, every validator in) and busy (the joiner still to be voted in).
        const idleLine = run(bft(validators)).log;
        const busyLine = run(bft([...validators, joiner])).log;
        assert.match(idleLine, / added=0 removed=0 votes=0 waiting=0 /);
        assert.doesNotMatch(busyLine, / added=0 removed=0 votes=0 waiting=0 /);

        const dir = mkdtempSync(join(tmpdir(), "qstack-reconciler-loop-"));
        const ipc = join(dir, "geth.ipc");
        const socket = createServer().listen(ipc);
        // `geth attach` stands in as one line of shell: count the call, print the chosen output.
        writeFileSync(join(dir, "geth"), `#!/bin/sh\necho run >> '${dir}/calls'\ncat '${dir}/output'\n`);
        chmodSync(join(dir, "geth"), 0o755);
        const script = join(dir, "reconcile.js");
        writeFileSync(script, bft(validators));
        const output = (text: string) => writeFileSync(join(dir, "output"), text);
        const calls = () => { try { return readFileSync(join(dir, "calls"), "utf8").split("\n").filter(Boolean).length; } catch { return 0; } };
        const wait = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));
        const [sh, flag, loop] = buildReconcilerCommand({ ipc, script, statusFile: join(dir, "status"), intervalSeconds: 1, idleIntervalSeconds: 4 });
        output(busyLine);
        const child = spawn(sh, [flag, loop], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, stdio: "ignore", detached: true });
        try {
            await wait(3.5);
            assert.ok(calls() >= 3, `busy: a run every interval (${calls()} runs in 3.5 s)`);
            output(idleLine);
            await wait(1.5); // the run that finds nothing to do
            const idleFrom = calls();
            await wait(2);
            assert.equal(calls(), idleFrom, "idle: no run before the idle interval");
            await wait(3);
            assert.ok(calls() > idleFrom, "idle: a run once the idle interval passed");
            const beforeChange = calls();
            writeFileSync(script, bft(validators, founderUrls)); // the ConfigMap changed
            await wait(1.5);
            assert.equal(calls(), beforeChange + 1, "a changed script runs within one interval");
            output("TypeError: Value is not an object: 0x81\n");
            await wait(5.5); // the idle run fails; from then on, one run per interval
            const failing = calls();
            await wait(2.2);
            assert.ok(calls() >= failing + 2, `after a failed run, a run every interval (${calls() - failing} in 2.2 s)`);
        } finally {
            process.kill(-child.pid!, "SIGKILL");
            socket.close();
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reads the status file: ok with counts, failed with the error, nothing yet", () => {
        assert.deepEqual(parseReconcilerStatus("ok 1764580000 peers=3 added=0 removed=0 votes=0 waiting=0 discarded=0\n"), {
            state: "ok", at: 1764580000, detail: "peers=3 added=0 removed=0 votes=0 waiting=0 discarded=0",
        });
        assert.deepEqual(parseReconcilerStatus("failed 1764580010 TypeError: Value is not an object: 0x81"), {
            state: "failed", at: 1764580010, detail: "TypeError: Value is not an object: 0x81",
        });
        assert.deepEqual(parseReconcilerStatus(""), { state: "not-run" });
        assert.deepEqual(parseReconcilerStatus(undefined), { state: "not-run" });
    });
});
