import assert from "node:assert/strict";
import { converge, convergenceOrder, expectedUpdates, type StackDriver } from "../../../cli/network/converge";
import { findFounder } from "../../../cli/network/automation-driver";
import { QstackError } from "../../../core/errors";

/**
 * A simulated backend: a stack changes when it is new or when a partner it references has
 * appeared since its last update; a joiner cannot even preview before its founder exists
 * (as the real program refuses to adopt a genesis that does not exist yet).
 */
class FakeNetwork implements StackDriver {
    readonly deployed = new Map<string, Set<string>>();
    readonly calls: string[] = [];
    constructor(private readonly stacks: string[], private readonly founder: string) {}
    private visible(stack: string): Set<string> {
        return new Set(this.stacks.filter((s) => s !== stack && this.deployed.has(s)));
    }
    async preview(stack: string): Promise<number> {
        this.calls.push(`preview ${stack}`);
        if (stack !== this.founder && !this.deployed.has(this.founder)) throw new Error(`${stack}: founder not deployed`);
        const seen = this.deployed.get(stack);
        if (!seen) return 10;
        return [...this.visible(stack)].filter((p) => !seen.has(p)).length * 2;
    }
    async up(stack: string): Promise<void> {
        this.calls.push(`up ${stack}`);
        this.deployed.set(stack, this.visible(stack));
    }
}

describe("cli/network/converge", () => {
    it("converges two organizations from nothing in three updates: founder, joiner, founder", async () => {
        const net = new FakeNetwork(["clusterA", "clusterB"], "clusterA");
        const r = await converge(["clusterB", "clusterA"], "clusterA", net);
        assert.equal(r.converged, true);
        assert.equal(r.updates, 3);
        assert.deepEqual(r.updatesPerStack, { clusterA: 2, clusterB: 1 });
        assert.deepEqual(net.calls.filter((c) => c.startsWith("up")), ["up clusterA", "up clusterB", "up clusterA"]);
        assert.equal(r.updates, expectedUpdates(2));
    });

    for (const n of [3, 4]) {
        it(`converges ${n} organizations in 2N-1 = ${2 * n - 1} updates and ends on a round of empty previews`, async () => {
            const stacks = Array.from({ length: n }, (_, i) => `org${i}`);
            const net = new FakeNetwork(stacks, "org0");
            const r = await converge(stacks, "org0", net);
            assert.equal(r.converged, true);
            assert.equal(r.updates, expectedUpdates(n));
            const tail = net.calls.slice(-n);
            assert.deepEqual(tail, stacks.map((s) => `preview ${s}`));
        });
    }

    it("does nothing but preview an already converged network", async () => {
        const net = new FakeNetwork(["a", "b"], "a");
        await converge(["a", "b"], "a", net);
        net.calls.length = 0;
        const r = await converge(["a", "b"], "a", net);
        assert.equal(r.updates, 0);
        assert.deepEqual(net.calls, ["preview a", "preview b"]);
    });

    it("reports a network that never converges instead of looping forever", async () => {
        const flapping: StackDriver = { preview: async () => 1, up: async () => undefined };
        const r = await converge(["a", "b"], "a", flapping, { maxRounds: 3 });
        assert.equal(r.converged, false);
        assert.equal(r.updates, 6);
    });

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
