/**
 * Issue 13: raft on the real nodes. One organization's raft network (a third stack, `raftA`, in
 * its own namespace of cluster a) produces blocks; joining another organization's raft network
 * stays refused with the clear error, before anything is deployed. Why it stays refused: a raft
 * joiner must first be added on a running member (`raft.addPeer` returns the new raft id) and
 * then start with `--raftjoinexisting <that id>`, an id the joiner's own stack cannot know at
 * preview time; qstack refuses rather than generate a node that cannot start.
 * Tessera here is 0.10.6-SNAPSHOT (see real-nodes.test.ts).
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dump } from "js-yaml";
import { AutomationDriver } from "../../cli/network/automation-driver";
import { REAL_PROJECT_DIR, realKubeconfigOf } from "../../lab/lab-env";
import { labImageConfig, labImageNames } from "../../lab/real-lab";
import { qctl } from "../helpers/qctl";
import { convergedRealLab } from "./lab-helpers";

const STACK = "raftA";

function writeStack(name: string, config: Record<string, unknown>): void {
    writeFileSync(join(REAL_PROJECT_DIR, `Pulumi.${name}.yaml`), dump({ config: { ...labImageConfig(labImageNames()), ...config, "kubernetes:kubeconfig": realKubeconfigOf("a") } }));
}

describe("raft on real nodes: one organization's raft network", function () {
    const driver = new AutomationDriver(REAL_PROJECT_DIR, (stack, line) => {
        if (process.env.QSTACK_LAB_VERBOSE) process.stderr.write(`[${stack}] ${line}\n`);
    });

    before(async function () {
        const report = await convergedRealLab();
        assert.equal(report.converged, true);
        writeStack(STACK, {
            "qstack:org": "org-raft",
            "qstack:chainId": 1338,
            "qstack:consensus": "raft",
            // The lab node has 2 CPUs and clusterA's four nodes request 1.8 of them (the default
            // 250m + 100m + 10m per node): this organization sizes its nodes down, as an operator
            // of small nodes would, or the scheduler leaves its pods Pending (measured: "Insufficient cpu").
            "qstack:nodes": ["raft1", "raft2", "raft3"].map((name) => ({ name, resources: { quorum: { requests: { cpu: "10m" } }, tessera: { requests: { cpu: "10m" } } } })),
            // For the same reason no second Prometheus (100m) on that node: clusterA's own one is proven in real-chain.
            "qstack:monitoring": { prometheus: false },
        });
        await driver.up(STACK);
    });

    after(async function () {
        // Frees the node for the suites after this one; the retained volumes stay, as in production.
        const s = await driver.stack(STACK);
        await s.destroy();
        await s.workspace.removeStack(STACK, { force: true });
        rmSync(join(REAL_PROJECT_DIR, `Pulumi.${STACK}.yaml`), { force: true });
    });

    it("produces blocks: one minter and two verifiers, and qctl test mines a public and a private contract on it", async () => {
        const t = await qctl("test", "-s", STACK, "--cwd", REAL_PROJECT_DIR);
        assert.match(t.out, /qstack-acceptance: RESULT pass/);
        assert.equal(t.code, 0, `${t.out}\n${t.err}`);
        const r = await qctl("status", "-s", STACK, "--cwd", REAL_PROJECT_DIR, "--json");
        const rows = JSON.parse(r.out) as { node: string; block: number; peers: number; raftRole?: string; healthy: boolean }[];
        assert.deepEqual(rows.map((x) => x.raftRole).sort(), ["minter", "verifier", "verifier"]);
        for (const row of rows) {
            assert.ok(row.block >= 2, `${row.node} has the two contracts' blocks (block ${row.block})`);
            assert.equal(row.peers, 2, `${row.node} peers`);
            assert.equal(row.healthy, true, row.node);
        }
        assert.equal(r.code, 0, r.err);
    });

    it("joining another organization's raft network is refused with the clear error, before any resource", async () => {
        const name = "raftB";
        writeStack(name, {
            "qstack:org": "org-raft-b",
            "qstack:chainId": 1338,
            "qstack:consensus": "raft",
            "qstack:nodes": [{ name: "raftb1" }],
            "qstack:partners": [`organization/qstack/${STACK}`],
            "qstack:genesisFrom": `organization/qstack/${STACK}`,
        });
        const s = await driver.stack(name);
        try {
            await assert.rejects(s.up(), /joining another organization's raft cluster is not automated yet/);
            const state = await s.exportStack();
            assert.deepEqual((state.deployment.resources ?? []).filter((x: { type: string }) => !x.type.startsWith("pulumi:")), [], "nothing deployed");
        } finally {
            await s.workspace.removeStack(name, { force: true });
            rmSync(join(REAL_PROJECT_DIR, `Pulumi.${name}.yaml`), { force: true });
        }
    });
});
