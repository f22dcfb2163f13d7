import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { converge, convergenceOrder, expectedUpdates, type StackDriver } from "../../../cli/network/converge";
import { findFounder } from "../../../cli/network/automation-driver";
import { QstackError } from "../../../core/errors";

/** What the Automation API reported for a real pulumi up the API server refused (test/fixtures/pulumi-output). */
const REJECTED_UP = readFileSync(join(__dirname, "..", "..", "fixtures", "pulumi-output", "up-service-rejected.txt"), "utf8");
const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * A simulated backend: a stack changes when it is new or when a partner it references has
 * appeared since its last update; a joiner cannot even preview before its founder exists
 * (as the real program refuses to adopt a genesis that does not exist yet). An update reads
 * its partners when it starts and publishes its own export when it ends, so two updates that
 * run at the same time do not see each other, as with StackReferences.
 */
class FakeNetwork implements StackDriver {
    readonly deployed = new Map<string, Set<string>>();
    readonly calls: string[] = [];
    running = 0;
    maxRunning = 0;
    constructor(private readonly stacks: string[], private readonly founder: string, private readonly failing = new Set<string>()) {}
    private visible(stack: string): Set<string> {
        return new Set(this.stacks.filter((s) => s !== stack && this.deployed.has(s)));
    }
    async preview(stack: string): Promise<number> {
        this.calls.push(`preview ${stack}`);
        await tick();
        if (stack !== this.founder && !this.deployed.has(this.founder)) throw new Error(`${stack}: founder not deployed`);
        const seen = this.deployed.get(stack);
        if (!seen) return 10;
        return [...this.visible(stack)].filter((p) => !seen.has(p)).length * 2;
    }
    async up(stack: string): Promise<void> {
        this.calls.push(`up ${stack}`);
        const seen = this.visible(stack);
        this.maxRunning = Math.max(this.maxRunning, ++this.running);
        try {
            for (let i = 0; i < 3; i++) await tick();
            if (this.failing.has(stack)) throw new Error(REJECTED_UP);
            this.deployed.set(stack, seen);
            this.calls.push(`done ${stack}`);
        } finally {
            this.running--;
        }
    }
}

/** The rounds in which stacks were updated, as the converge events report them. */
function updateWaves(events: { round: number; action: string; stack: string }[]): string[][] {
    const waves = new Map<number, string[]>();
    for (const e of events) if (e.action === "up") waves.set(e.round, [...(waves.get(e.round) ?? []), e.stack].sort());
    return [...waves.values()];
}

describe("cli/network/converge", () => {
    describe("parallel (the default)", () => {
        it("converges two organizations from nothing in three updates: founder, joiner, founder", async () => {
            const net = new FakeNetwork(["clusterA", "clusterB"], "clusterA");
            const r = await converge(["clusterB", "clusterA"], "clusterA", net);
            assert.equal(r.converged, true);
            assert.equal(r.mode, "parallel");
            assert.deepEqual(r.updatesPerStack, { clusterA: 2, clusterB: 1 });
            assert.equal(r.updates, expectedUpdates(2));
        });

        it("ends on a preview of every stack after the last update, and reports those previews", async () => {
            for (const stacks of [["clusterA", "clusterB"], Array.from({ length: 5 }, (_, i) => `org${i}`)]) {
                const net = new FakeNetwork(stacks, stacks[0]);
                const r = await converge(stacks, stacks[0], net);
                assert.deepEqual(r.lastPreviews, Object.fromEntries(stacks.map((s) => [s, 0])));
                const lastUpdate = net.calls.map((c) => c.startsWith("done ")).lastIndexOf(true);
                for (const s of stacks) assert.ok(net.calls.lastIndexOf(`preview ${s}`) > lastUpdate, `${s} previewed after the last update`);
            }
            const flapping: StackDriver = { preview: async () => 1, up: async () => undefined };
            assert.deepEqual((await converge(["a", "b"], "a", flapping, { maxRounds: 3 })).lastPreviews, { a: 1, b: 1 });
        });

        it("converges six organizations in three waves of updates: the founder, all joiners at once, then everyone at once", async () => {
            const stacks = Array.from({ length: 6 }, (_, i) => `org${i}`);
            const net = new FakeNetwork(stacks, "org0");
            const events: { round: number; action: string; stack: string }[] = [];
            const r = await converge(stacks, "org0", net, { onEvent: (e) => events.push(e) });
            assert.equal(r.converged, true);
            assert.deepEqual(updateWaves(events), [["org0"], ["org1", "org2", "org3", "org4", "org5"], stacks]);
            assert.equal(r.updates, expectedUpdates(6));
            assert.equal(net.maxRunning, 6, "a wave's updates run at the same time");
            // The last round previews everyone and changes nothing.
            assert.deepEqual(events.slice(-6).map((e) => `${e.action} ${e.stack}`).sort(), stacks.map((s) => `preview ${s}`));
        });

        it("keeps at most `concurrency` stacks running at once", async () => {
            const stacks = Array.from({ length: 6 }, (_, i) => `org${i}`);
            const net = new FakeNetwork(stacks, "org0");
            const r = await converge(stacks, "org0", net, { concurrency: 2 });
            assert.equal(r.converged, true);
            assert.equal(net.maxRunning, 2);
        });

        it("ends in the same state as the sequential mode", async () => {
            const stacks = Array.from({ length: 5 }, (_, i) => `org${i}`);
            const parallel = new FakeNetwork(stacks, "org0");
            const sequential = new FakeNetwork(stacks, "org0");
            await converge(stacks, "org0", parallel);
            await converge(stacks, "org0", sequential, { mode: "sequential" });
            const state = (n: FakeNetwork) => Object.fromEntries([...n.deployed].map(([s, seen]) => [s, [...seen].sort()]));
            assert.deepEqual(state(parallel), state(sequential));
            for (const [s, seen] of parallel.deployed) assert.equal(seen.size, stacks.length - 1, `${s} sees every partner`);
        });

        it("only previews an already converged network: the founder, then the joiners", async () => {
            const net = new FakeNetwork(["a", "b", "c"], "a");
            await converge(["a", "b", "c"], "a", net);
            net.calls.length = 0;
            const r = await converge(["a", "b", "c"], "a", net);
            assert.equal(r.updates, 0);
            assert.equal(r.rounds, 2);
            assert.deepEqual(net.calls, ["preview a", "preview b", "preview c"]);
        });

        it("stops the round a stack fails in, after the round's other updates finished, naming the failed stack", async () => {
            const stacks = ["org0", "org1", "org2", "org3"];
            const net = new FakeNetwork(stacks, "org0", new Set(["org2"]));
            await assert.rejects(converge(stacks, "org0", net), (e: unknown) => {
                assert.ok(e instanceof QstackError && e.code === "STACK_FAILED");
                assert.match(e.message, /^round 2 stopped: org2 failed; org1, org3 finished their updates:/);
                // The reason from the run's diagnostics, not its resource summary.
                assert.match(e.message, /org2: pulumi up failed in round 2: error: resource "urn:[^"]+" was not successfully created by the Kubernetes API server: Service "f-validator1-external" is invalid: /);
                assert.match(e.message, /; allowed: fix it and run qctl network up again/);
                return true;
            });
            assert.ok(net.calls.includes("done org1") && net.calls.includes("done org3"), "the others' updates were not abandoned");
            assert.equal(net.calls.filter((c) => c === "preview org0").length, 1, "no further round started");
            assert.equal(net.running, 0);
        });
    });

    describe("sequential", () => {
        it("converges two organizations from nothing in three updates: founder, joiner, founder", async () => {
            const net = new FakeNetwork(["clusterA", "clusterB"], "clusterA");
            const r = await converge(["clusterB", "clusterA"], "clusterA", net, { mode: "sequential" });
            assert.equal(r.converged, true);
            assert.deepEqual(net.calls.filter((c) => c.startsWith("up")), ["up clusterA", "up clusterB", "up clusterA"]);
            assert.equal(r.updates, expectedUpdates(2, "sequential"));
            assert.equal(net.maxRunning, 1);
        });

        for (const n of [3, 4]) {
            it(`converges ${n} organizations in 2N-1 = ${2 * n - 1} updates, one at a time, and ends on a round of empty previews`, async () => {
                const stacks = Array.from({ length: n }, (_, i) => `org${i}`);
                const net = new FakeNetwork(stacks, "org0");
                const r = await converge(stacks, "org0", net, { mode: "sequential" });
                assert.equal(r.converged, true);
                assert.equal(r.updates, expectedUpdates(n, "sequential"));
                assert.equal(net.maxRunning, 1);
                assert.deepEqual(net.calls.slice(-n), stacks.map((s) => `preview ${s}`));
            });
        }

        it("does nothing but preview an already converged network", async () => {
            const net = new FakeNetwork(["a", "b"], "a");
            await converge(["a", "b"], "a", net, { mode: "sequential" });
            net.calls.length = 0;
            const r = await converge(["a", "b"], "a", net, { mode: "sequential" });
            assert.equal(r.updates, 0);
            assert.deepEqual(net.calls, ["preview a", "preview b"]);
        });
    });

    for (const mode of ["parallel", "sequential"] as const) {
        it(`${mode}: reports a network that never converges instead of looping forever`, async () => {
            const flapping: StackDriver = { preview: async () => 1, up: async () => undefined };
            const r = await converge(["a", "b"], "a", flapping, { maxRounds: 3, mode });
            assert.equal(r.converged, false);
            assert.equal(r.rounds, 3);
        });
    }

    it("puts the founder first whatever order the stacks are given in", () => {
        assert.deepEqual(convergenceOrder(["b", "c", "a"], "a"), ["a", "b", "c"]);
    });

    it("finds the one stack without genesisFrom as founder", async () => {
        const cfg: Record<string, string | undefined> = { a: undefined, b: "a", c: "a" };
        assert.equal(await findFounder(["b", "a", "c"], async (s) => cfg[s]), "a");
    });

    it("refuses zero or several founders with a clear error", async () => {
        await assert.rejects(findFounder(["a", "b"], async () => undefined), (e: unknown) => e instanceof QstackError && /2 stacks found the network/.test(e.message));
        await assert.rejects(findFounder(["a", "b"], async () => "x"), /none founds the network/);
    });
});
