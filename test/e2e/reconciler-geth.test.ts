/**
 * Issue 18: the generated reconciler on real GoQuorum 24.4.1 (the lab toolchain's geth, built
 * from the upstream source), run the product's way: the pod's shell loop over each node's IPC
 * socket, loading the script the organization component generates.
 *
 * The network is host processes on loopback (lab/chain/host-network.ts): founder org A with
 * three validators, joiner org B with one, wired as the handshake wires them: A first alone,
 * then B with the merged lists, then A's second update (merged permissioned list and
 * reconciler script). No Kubernetes and no Tessera here: this proves geth's side only.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeGenesisHash, type Genesis } from "../../core/genesis/genesis";
import { buildReconcileScript, parseReconcilerStatus, RECONCILE_IDLE_INTERVAL_SECONDS, RECONCILE_INTERVAL_SECONDS } from "../../core/node/reconciler";
import { consoleShape, recordConsole, type ConsoleRecording } from "../../lab/chain/console-recording";
import { sleep, waitFor } from "../../lab/chain/deadline";
import { HostGethNetwork, type HostNode } from "../../lab/chain/host-network";
import { CONSOLE_FIXTURE } from "../../lab/chain/record-console";
import { toolchainPath } from "../../lab/lab-env";
import { legacyGenesisForm } from "../helpers/legacy-genesis";

/** Shorter than the pod's 10 s so the suite stays short; the loop itself is the pod's. */
const INTERVAL_SECONDS = 2;
/** The idle interval at the pod's ratio (host-network.ts starts the loop that way). */
const IDLE_INTERVAL_SECONDS = INTERVAL_SECONDS * (RECONCILE_IDLE_INTERVAL_SECONDS / RECONCILE_INTERVAL_SECONDS);
const MINUTE = 60_000;

type Peer = { enode: string; network: { localAddress: string; remoteAddress: string } };
const publicKey = (url: string) => /^enode:\/\/([0-9a-f]{128})@/.exec(url)![1];

describe("reconciler on real GoQuorum 24.4.1 (host processes on loopback)", function () {
    let net: HostGethNetwork;
    let founders: HostNode[];
    let joiner: HostNode;
    let all: HostNode[];
    let genesis: Genesis;
    const initLogs: Record<string, string> = {};

    const validatorsOn = (n: HostNode) => net.value<string[]>(n, `istanbul.getValidators("latest")`).then((v) => v.map((a) => a.toLowerCase()));
    const connections = async (n: HostNode) =>
        (await net.value<Peer[]>(n, "admin.peers")).map((p) => `${publicKey(p.enode).slice(0, 12)} ${p.network.localAddress}<->${p.network.remoteAddress}`).sort();
    const scriptFor = (peers: readonly HostNode[], validators: readonly HostNode[]) =>
        buildReconcileScript({ consensus: "qbft", enodes: peers.map((p) => p.enodeUrl), validators: validators.map((v) => v.keys.nodeAddress) });
    const reconcilerLog = (n: HostNode) => readFileSync(net.reconcilerFiles(n).log, "utf8");
    const statusOf = (n: HostNode) => parseReconcilerStatus(readFileSync(net.reconcilerFiles(n).status, "utf8"));
    const authorOf = (n: HostNode, block: number) => net.value<{ Author: string }>(n, `istanbul.getSignersFromBlock(${block})`).then((s) => s.Author.toLowerCase());

    before(async function () {
        const gethBinDir = toolchainPath(["quorum"]).split(":")[0];
        net = new HostGethNetwork({ dir: join(tmpdir(), `qstack-e2e-geth-${process.pid}`), gethBinDir, basePort: 32200, blockPeriodSeconds: 1 });
        founders = ["a-validator1", "a-validator2", "a-validator3"].map((n) => net.add(n, "validator"));
        joiner = net.add("b-validator1", "validator");
        all = [...founders, joiner];
        genesis = net.genesisOf(founders);
        // Founder alone (its first update): A's lists and A's reconciler script. a-validator3
        // initializes from the legacy genesis form, to show both forms make one chain.
        for (const n of founders) initLogs[n.name] = await net.init(n, n === founders[2] ? legacyGenesisForm(genesis) : genesis, founders);
        for (const n of founders) await net.start(n);
        for (const n of founders) net.startReconciler(n, scriptFor(founders, founders), INTERVAL_SECONDS);
        await waitFor("the founder's validators to seal block 3", MINUTE, async () => ((await net.value<number>(founders[0], "eth.blockNumber")) >= 3 ? true : undefined));
        // The joiner (its first update): the merged lists and script.
        initLogs[joiner.name] = await net.init(joiner, genesis, all);
        await net.start(joiner);
        net.startReconciler(joiner, scriptFor(all, all), INTERVAL_SECONDS);
        // The founder's second update: merged permissioned list and reconciler script.
        for (const n of founders) {
            net.writePeerLists(n, all);
            net.writeReconcileScript(n, scriptFor(all, all));
        }
    });

    after(async () => {
        await net?.stop();
    });

    it("both genesis forms give the same genesis block and the same 64 KiB code size limit; only the legacy one is warned about", async () => {
        const hashes = await Promise.all(all.map((n) => net.value<string>(n, "eth.getBlock(0).hash")));
        assert.equal(new Set(hashes).size, 1, `genesis block hashes: ${hashes.join(" ")}`);
        assert.notEqual(computeGenesisHash(legacyGenesisForm(genesis)), computeGenesisHash(genesis), "qstack's own genesis hash tells the forms apart");
        // Init code PUSH3 size, PUSH1 0, RETURN: deploys `size` zero bytes of code.
        const deploy = (n: HostNode, size: number) =>
            net.value<string | number>(n, `(function () { try { return eth.estimateGas({ data: "0x62${size.toString(16).padStart(6, "0")}6000f3" }); } catch (e) { return String(e); } })()`);
        for (const n of [founders[0], founders[2]]) {
            assert.equal(typeof (await deploy(n, 64 * 1024)), "number", `${n.name}: 64 KiB of code is allowed`);
            assert.match(String(await deploy(n, 64 * 1024 + 1)), /max code size exceeded/, `${n.name}: one byte more is refused`);
        }
        const warning = /maxCodeSizeConfig is deprecated/;
        assert.match(readFileSync(net.logOf(founders[2]), "utf8") + initLogs[founders[2].name], warning);
        for (const n of [founders[0], founders[1], joiner]) assert.doesNotMatch(readFileSync(net.logOf(n), "utf8") + initLogs[n.name], warning, n.name);
    });

    it("serves every default RPC API: geth logs no unavailable module", () => {
        for (const n of all) assert.doesNotMatch(readFileSync(net.logOf(n), "utf8"), /Unavailable modules/, n.name);
    });

    it("the console still answers in the recorded shape the unit tests' fake is built from", async () => {
        const fixture = JSON.parse(readFileSync(CONSOLE_FIXTURE, "utf8")) as ConsoleRecording;
        await waitFor("a-validator1 to have a peer", MINUTE, async () => ((await net.value<number>(founders[0], "net.peerCount")) > 0 ? true : undefined));
        const live = await recordConsole(net, founders[0], all.map((n) => n.enodeUrl));
        const { types, ...rest } = consoleShape(live) as { types: Record<string, string> };
        const { types: fixtureTypes, ...fixtureRest } = consoleShape(fixture) as { types: Record<string, string> };
        for (const [member, type] of Object.entries(types)) assert.equal(type, fixtureTypes[member], member);
        assert.deepEqual(rest, fixtureRest);
    });

    it("reaches the full mesh, then keeps every connection over several runs: no desired peer removed or re-dialled", async function () {
        await waitFor("every node connected to the three others", 2 * MINUTE, async () => {
            const counts = await Promise.all(all.map((n) => net.value<number>(n, "net.peerCount")));
            return counts.every((c) => c === 3) ? true : undefined;
        });
        await sleep(2 * INTERVAL_SECONDS * 1000);
        const before = await Promise.all(all.map(connections));
        const okRuns = (n: HostNode) => reconcilerLog(n).split("\n").filter((l) => l.startsWith("qstack-reconcile ok"));
        const runsBefore = all.map((n) => okRuns(n).length);
        const samples: number[][] = [];
        // At a full mesh the loop is idle: it runs once per idle interval, so watch two of them.
        const end = Date.now() + (2 * IDLE_INTERVAL_SECONDS + INTERVAL_SECONDS) * 1000;
        while (Date.now() < end) {
            samples.push(await Promise.all(all.map((n) => net.value<number>(n, "net.peerCount"))));
            await sleep(1000);
        }
        const afterwards = await Promise.all(all.map(connections));
        assert.deepEqual(afterwards, before, "the same TCP connections (local and remote address) before and after");
        assert.ok(samples.every((s) => s.every((c) => c === 3)), `peer counts sampled: ${JSON.stringify(samples)}`);
        for (const [i, n] of all.entries()) {
            const runs = okRuns(n);
            assert.ok(runs.length - runsBefore[i] >= 2, `${n.name}: ${runs.length - runsBefore[i]} runs while watched`);
            assert.ok(runs.every((l) => / removed=0 /.test(l)), `${n.name} removed a peer: ${runs.join(" | ")}`);
            assert.doesNotMatch(reconcilerLog(n), /FAILED/, n.name);
            assert.equal(statusOf(n).state, "ok");
        }
    });

    it("votes the joiner's validator in once it is connected, and it then seals blocks itself", async function () {
        const address = joiner.keys.nodeAddress.toLowerCase();
        await waitFor("b-validator1 in the validator set on every node", 2 * MINUTE, async () =>
            (await Promise.all(all.map(validatorsOn))).every((v) => v.includes(address) && v.length === 4) ? true : undefined,
        );
        const from = await net.value<number>(founders[0], "eth.blockNumber");
        const sealed = await waitFor("a block proposed by b-validator1", 2 * MINUTE, async () => {
            const head = await net.value<number>(founders[0], "eth.blockNumber");
            for (let b = from; b <= head; b++) if ((await authorOf(founders[0], b)) === address) return b;
            return undefined;
        });
        assert.ok(sealed >= from);
        await waitFor("the voters' candidates discarded once the vote took effect", MINUTE, async () => {
            const pending = await Promise.all(founders.map((n) => net.value<Record<string, boolean>>(n, "istanbul.candidates")));
            return pending.every((c) => Object.keys(c).length === 0) ? true : undefined;
        });
    });

    it("all nodes agree on the block hash at a common height", async () => {
        const heights = await Promise.all(all.map((n) => net.value<number>(n, "eth.blockNumber")));
        const common = Math.min(...heights);
        const hashes = await Promise.all(all.map((n) => net.value<string>(n, `eth.getBlock(${common}).hash`)));
        assert.equal(new Set(hashes).size, 1, `block ${common}: ${hashes.join(" ")}`);
    });

    it("votes out a validator that is no longer desired, and the chain goes on", async () => {
        const address = joiner.keys.nodeAddress.toLowerCase();
        for (const n of all) net.writeReconcileScript(n, scriptFor(all, founders));
        await waitFor("b-validator1 out of the validator set on every node", 2 * MINUTE, async () =>
            (await Promise.all(all.map(validatorsOn))).every((v) => !v.includes(address) && v.length === 3) ? true : undefined,
        );
        const head = await net.value<number>(founders[0], "eth.blockNumber");
        await waitFor("two more blocks after the vote", MINUTE, async () => ((await net.value<number>(founders[0], "eth.blockNumber")) >= head + 2 ? true : undefined));
        assert.equal(await net.value<number>(joiner, "net.peerCount"), 3, "still a connected peer: it is still a desired node");
    });

    it("makes a failing script visible: FAILED in the loop's log and the error in the status file, and the loop goes on", async () => {
        const n = founders[0];
        // The defect of issue 18: nodeAddress called as a method.
        net.writeReconcileScript(n, `var me = istanbul.nodeAddress().toLowerCase();\nconsole.log("qstack-reconcile ok never");\n`);
        const failed = await waitFor("a failed run in a-validator1's status file", MINUTE, async () => {
            const s = statusOf(n);
            return s.state === "failed" ? s : undefined;
        });
        assert.match(failed.detail ?? "", /TypeError: Value is not an object/);
        assert.match(reconcilerLog(n), /qstack-reconcile FAILED \(run \d+ in a row\): .*TypeError: Value is not an object/);
        net.writeReconcileScript(n, scriptFor(all, founders));
        await waitFor("the loop to recover on the corrected script", MINUTE, async () => (statusOf(n).state === "ok" ? true : undefined));
    });
});
