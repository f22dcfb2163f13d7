/**
 * Issue 13, first part: the two organizations' stacks form one chain on the real nodes. Runs
 * (or finds converged) the real lab's handshake, then asks the running geth processes.
 * Tessera here is 0.10.6-SNAPSHOT (see real-nodes.test.ts); nothing below depends on it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { keccak256 } from "ethers";
import { AutomationDriver } from "../../cli/network/automation-driver";
import type { ExternalNodesDocument } from "../../core/export/external-nodes";
import { names } from "../../core/k8s/labels";
import { PATHS } from "../../core/node/layout";
import { waitFor } from "../../lab/chain/deadline";
import type { ClusterName } from "../../lab/lab-env";
import { REAL_CLUSTERS, REAL_LAB, REAL_PROJECT_DIR, realKubeconfigOf } from "../../lab/real-lab";
import { runLab } from "../../lab/run-lab";
import { qctl } from "../helpers/qctl";

const MINUTE = 60_000;
const CLUSTER_NAMES = Object.keys(REAL_CLUSTERS) as ClusterName[];

interface RunningNode {
    readonly cluster: ClusterName;
    readonly name: string;
    readonly pod: string;
    readonly enodeId: string;
    readonly role: string;
    readonly validatorAddress: string;
}

function geth<T>(n: RunningNode, js: string): T {
    const out = execFileSync(
        "kubectl",
        ["--kubeconfig", realKubeconfigOf(n.cluster), "-n", REAL_CLUSTERS[n.cluster].namespace, "exec", n.pod, "-c", "quorum", "--", "geth", "attach", "--exec", `console.log("QJSON " + JSON.stringify(${js}))`, `${PATHS.quorumDataDir}/geth.ipc`],
        { encoding: "utf8" },
    );
    const line = /^QJSON (.*)$/m.exec(out);
    if (!line) throw new Error(`${n.name}: no answer to ${js}: ${out.trim().slice(0, 200)}`);
    return JSON.parse(line[1]) as T;
}

const publicKey = (url: string) => /^enode:\/\/([0-9a-f]{128})@/.exec(url)![1];

describe("real chain: two organizations' stacks form one working consortium", function () {
    const nodes: RunningNode[] = [];

    before(async function () {
        const report = await runLab(REAL_LAB);
        assert.equal(report.converged, true);
        const driver = new AutomationDriver(REAL_PROJECT_DIR, () => undefined);
        for (const c of CLUSTER_NAMES) {
            const doc = (await driver.externalNodes(REAL_CLUSTERS[c].stack)) as ExternalNodesDocument;
            for (const n of doc.nodes) nodes.push({ cluster: c, name: n.name, pod: names.pod(n.name), enodeId: n.enodeId, role: n.role, validatorAddress: n.validatorAddress.toLowerCase() });
        }
    });

    it("every node of both organizations is connected to exactly the other nodes of the merged lists", async () => {
        for (const n of nodes) {
            const want = nodes.filter((o) => o !== n).map((o) => o.enodeId).sort();
            await waitFor(`${n.name} connected to the ${want.length} other nodes`, 3 * MINUTE, async () => {
                const have = geth<{ enode: string }[]>(n, "admin.peers").map((p) => publicKey(p.enode)).sort();
                return JSON.stringify(have) === JSON.stringify(want) ? true : undefined;
            });
        }
    });

    it("the joiner's validator is voted in by the founder's reconcilers, with no manual step, and then seals blocks itself", async () => {
        const joiner = nodes.find((n) => n.cluster === "b" && n.role === "validator")!;
        const founder = nodes.find((n) => n.cluster === "a" && n.role === "validator")!;
        await waitFor(`${joiner.name} in the validator set`, 3 * MINUTE, async () =>
            geth<string[]>(founder, `istanbul.getValidators("latest")`).map((a) => a.toLowerCase()).includes(joiner.validatorAddress) ? true : undefined,
        );
        const from = geth<number>(founder, "eth.blockNumber");
        const sealed = await waitFor(`a block proposed by ${joiner.name}`, 3 * MINUTE, async () => {
            const head = geth<number>(founder, "eth.blockNumber");
            for (let b = from; b <= head; b++) if (geth<{ Author: string }>(founder, `istanbul.getSignersFromBlock(${b})`).Author.toLowerCase() === joiner.validatorAddress) return b;
            return undefined;
        });
        assert.ok(sealed >= from);
        // The validator set is the founder's three plus the joiner's one, on every node.
        for (const n of nodes) assert.equal(geth<string[]>(n, `istanbul.getValidators("latest")`).length, 4, n.name);
        assert.equal(`0x${keccak256(`0x${joiner.enodeId}`).slice(-40)}`, joiner.validatorAddress, "the exported validator address is the nodekey's");
    });

    it("all nodes agree on the block hash at a common height", () => {
        const common = Math.min(...nodes.map((n) => geth<number>(n, "eth.blockNumber")));
        const hashes = nodes.map((n) => geth<string>(n, `eth.getBlock(${common}).hash`));
        assert.equal(new Set(hashes).size, 1, `block ${common}: ${hashes.join(" ")}`);
    });

    for (const c of CLUSTER_NAMES) {
        it(`qctl status on ${REAL_CLUSTERS[c].stack} reports the true heights, peers, validator flags, Tessera and reconciler, and exits 0`, async () => {
            const r = await qctl("status", "-s", REAL_CLUSTERS[c].stack, "--cwd", REAL_PROJECT_DIR, "--json");
            const rows = JSON.parse(r.out) as { node: string; block: number; peers: number; validator: boolean; tessera: string; reconciler?: { state: string }; healthy: boolean }[];
            for (const row of rows) {
                const n = nodes.find((x) => x.name === row.node)!;
                const height = geth<number>(n, "eth.blockNumber");
                assert.ok(Math.abs(row.block - height) <= 3, `${row.node}: status says block ${row.block}, geth now ${height}`);
                assert.equal(row.peers, nodes.length - 1, `${row.node} peers`);
                assert.equal(row.validator, n.role === "validator", `${row.node} validator`);
                assert.equal(row.tessera, "up");
                assert.equal(row.reconciler?.state, "ok", `${row.node} reconciler`);
                assert.equal(row.healthy, true);
            }
            assert.equal(r.code, 0, r.err);
        });
    }
});
