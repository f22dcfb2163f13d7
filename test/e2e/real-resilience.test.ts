/**
 * Issue 13: the running consortium under failure, on the real nodes. This file runs after
 * real-chain and real-nodes (mocha loads files in name order) because it takes pods down.
 *
 * - f validators stopped (f = the consortium's fault tolerance): the chain keeps producing; they
 *   come back on their own volumes with their keys, catch up and seal again;
 * - while a pod is down, `qctl status` says so and exits 1;
 * - with a party's Tessera stopped, `qctl test` fails on the private transaction.
 *
 * A validator is "stopped" by scaling its StatefulSet to 0 (the pod is deleted and stays down
 * until scaled back), so the outage lasts as long as the test needs and not as long as a
 * restart takes. Tessera is "stopped" by freezing its container's processes (cgroup freezer):
 * it is there but answers nothing, as a hung or partitioned Tessera. Tessera here is
 * 0.10.6-SNAPSHOT (see real-nodes.test.ts).
 */
import assert from "node:assert/strict";
import { readdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { observeNode, validatorSet } from "../../lab/chain/chain-observation";
import { waitFor } from "../../lab/chain/deadline";
import { gethValue, isPodReady, kubectlIn, realNodes, type PodReadiness, type RealNode } from "../../lab/chain/real-node-console";
import { REAL_CLUSTERS, REAL_PROJECT_DIR } from "../../lab/lab-env";
import { qctl } from "../helpers/qctl";
import { convergedRealLab } from "./lab-helpers";

const MINUTE = 60_000;

const height = (n: RealNode) => gethValue<number>(n, "eth.blockNumber");
const ready = (n: RealNode) => {
    try {
        return isPodReady(JSON.parse(kubectlIn(n.cluster, "get", "pod", n.pod, "-o", "json")) as PodReadiness);
    } catch {
        return false;
    }
};

/** The cgroup-v1 freezer directory of one container of a pod, found by its container ID. */
function freezerOf(n: RealNode, container: string): string {
    const pod = JSON.parse(kubectlIn(n.cluster, "get", "pod", n.pod, "-o", "json")) as {
        status: { initContainerStatuses?: { name: string; containerID?: string }[]; containerStatuses?: { name: string; containerID?: string }[] };
    };
    const status = [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])].find((s) => s.name === container);
    const id = status?.containerID?.replace(/^containerd:\/\//, "");
    if (!id) throw new Error(`${n.pod}: container ${container} has no container ID`);
    const find = (dir: string): string | undefined => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
            if (!entry.isDirectory()) continue;
            if (entry.name === id) return join(dir, entry.name);
            const found = find(join(dir, entry.name));
            if (found) return found;
        }
        return undefined;
    };
    const dir = find(`/sys/fs/cgroup/freezer/qlab-${n.cluster}`);
    if (!dir) throw new Error(`${n.pod}: no freezer cgroup for container ${container} (${id})`);
    return dir;
}

describe("real chain under failure: validators down, a pod down, a party's Tessera stopped", function () {
    let nodes: RealNode[] = [];

    before(async function () {
        const report = await convergedRealLab();
        assert.equal(report.converged, true);
        nodes = await realNodes();
    });

    it("with f validators stopped the chain keeps producing, qctl status exits 1 naming them, and they come back on their volumes, catch up and seal again", async () => {
        const validators = nodes.filter((n) => n.role === "validator");
        const f = Math.floor((validators.length - 1) / 3);
        assert.ok(f >= 1, `the lab consortium tolerates no fault (${validators.length} validators)`);
        const stopped = validators.filter((n) => n.cluster === "a").slice(-f);
        const watcher = nodes.find((n) => n.role === "validator" && !stopped.includes(n))!;
        const before = new Map(stopped.map((n) => [n.name, { address: gethValue<string>(n, "istanbul.nodeAddress").toLowerCase(), height: height(n) }]));
        const genesis = gethValue<string>(watcher, "eth.getBlock(0).hash");

        for (const n of stopped) kubectlIn(n.cluster, "scale", "statefulset", n.name, "--replicas=0");
        try {
            await waitFor(`${stopped.map((n) => n.pod).join(", ")} gone`, 2 * MINUTE, async () => (stopped.every((n) => !ready(n)) ? true : undefined), 1000);
            const from = height(watcher);
            await waitFor(`3 blocks past ${from} with ${f} validator(s) down (asking ${watcher.name})`, 3 * MINUTE, async () => (height(watcher) >= from + 3 ? true : undefined), 2000);

            const r = await qctl("status", "-s", REAL_CLUSTERS.a.stack, "--cwd", REAL_PROJECT_DIR, "--json");
            assert.equal(r.code, 1, `qctl status exits 1 while ${stopped.map((n) => n.name).join(", ")} is down`);
            const rows = JSON.parse(r.out) as { node: string; healthy: boolean }[];
            for (const n of stopped) assert.equal(rows.find((x) => x.node === n.name)?.healthy, false, `${n.name} reported unhealthy`);
            for (const row of rows.filter((x) => !stopped.some((n) => n.name === x.node))) assert.equal(row.healthy, true, `${row.node} still healthy`);
        } finally {
            for (const n of stopped) kubectlIn(n.cluster, "scale", "statefulset", n.name, "--replicas=1");
        }

        for (const n of stopped) {
            await waitFor(`${n.pod} Ready again`, 5 * MINUTE, async () => (ready(n) ? true : undefined), 2000);
            const was = before.get(n.name)!;
            assert.equal(gethValue<string>(n, "istanbul.nodeAddress").toLowerCase(), was.address, `${n.name} kept its node key`);
            assert.equal(gethValue<string>(n, "eth.getBlock(0).hash"), genesis, `${n.name} kept its chain`);
            assert.ok(height(n) >= was.height, `${n.name} kept its blocks (had ${was.height})`);
            const back = height(watcher);
            await waitFor(`${n.name} caught up to block ${back}`, 3 * MINUTE, async () => (height(n) >= back ? true : undefined), 2000);
            await waitFor(`${n.name} sealing a block after ${back}`, 3 * MINUTE, async () => ((observeNode(n).lastSealed ?? 0) > back ? true : undefined), 3000);
        }
        assert.equal(validatorSet(watcher, "latest").length, validators.length, "the validator set is unchanged");
    });

    it("with a party's Tessera stopped, qctl test fails on the private transaction, and passes once it answers again", async () => {
        const sender = nodes.find((n) => n.name === "a-validator1")!; // acceptanceTest.node unset: the first Tessera node sends
        const freezer = freezerOf(sender, "tessera");
        writeFileSync(join(freezer, "freezer.state"), "FROZEN");
        let failed: Awaited<ReturnType<typeof qctl>>;
        try {
            await waitFor(`${sender.name}'s Tessera frozen`, 30_000, async () => (readFileSync(join(freezer, "freezer.state"), "utf8").trim() === "FROZEN" ? true : undefined));
            failed = await qctl("test", "-s", REAL_CLUSTERS.a.stack, "--cwd", REAL_PROJECT_DIR);
        } finally {
            writeFileSync(join(freezer, "freezer.state"), "THAWED");
        }
        assert.equal(failed.code, 1, failed.out);
        assert.match(failed.out, /PASS public contract readable/);
        assert.match(failed.out, /FAIL private: /);
        assert.match(failed.out, /RESULT fail/);
        await waitFor(`${sender.pod} Ready after its Tessera thawed`, 3 * MINUTE, async () => (ready(sender) ? true : undefined), 2000);
        const passed = await qctl("test", "-s", REAL_CLUSTERS.a.stack, "--cwd", REAL_PROJECT_DIR);
        assert.equal(passed.code, 0, passed.out);
    });
});
