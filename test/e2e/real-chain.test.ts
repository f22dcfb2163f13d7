/**
 * Issue 13: the two organizations' stacks form one working consortium on the real nodes. Runs
 * (or finds converged) `npm run lab`'s handshake and chain report, then asks the running geth
 * processes. Tessera here is 0.10.6-SNAPSHOT (see real-nodes.test.ts): the private-transaction
 * tests prove geth 24.4.1 with that Tessera, not with the 24.4.2 qstack deploys.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { keccak256 } from "ethers";
import { waitFor } from "../../lab/chain/deadline";
import { sendCrossOrgPrivate } from "../../lab/chain/cross-org-private";
import { gethValue, peerEnodeIds, realNodes, type RealNode } from "../../lab/chain/real-node-console";
import { promQuery, scrapeTargets } from "../../lab/chain/prometheus-targets";
import { GETH_METRICS } from "../../core/k8s/addons/grafana-dashboard";
import { SCRAPE_JOBS } from "../../core/k8s/addons/prometheus";
import { REAL_CLUSTERS, REAL_PROJECT_DIR, type ClusterName } from "../../lab/lab-env";
import type { LabReport } from "../../lab/run-lab";
import { qctl } from "../helpers/qctl";
import { convergedRealLab } from "./lab-helpers";

const MINUTE = 60_000;
const CLUSTER_NAMES = Object.keys(REAL_CLUSTERS) as ClusterName[];

describe("real chain: two organizations' stacks form one working consortium", function () {
    let nodes: RealNode[] = [];
    let report: LabReport;

    before(async function () {
        report = await convergedRealLab();
        assert.equal(report.converged, true);
        nodes = await realNodes();
    });

    it("every node of both organizations is connected to exactly the other nodes of the merged lists", async () => {
        for (const n of nodes) {
            const want = nodes.filter((o) => o !== n).map((o) => o.enodeId).sort();
            await waitFor(`${n.name} connected to the ${want.length} other nodes`, 3 * MINUTE, async () => {
                const have = peerEnodeIds(n).sort();
                return JSON.stringify(have) === JSON.stringify(want) ? true : undefined;
            });
        }
    });

    it("the joiner's validator is voted in by the founder's reconcilers, with no manual step, and then seals blocks itself", async () => {
        const joiner = nodes.find((n) => n.cluster === "b" && n.role === "validator")!;
        const founder = nodes.find((n) => n.cluster === "a" && n.role === "validator")!;
        await waitFor(`${joiner.name} in the validator set`, 3 * MINUTE, async () =>
            gethValue<string[]>(founder, `istanbul.getValidators("latest")`).map((a) => a.toLowerCase()).includes(joiner.validatorAddress) ? true : undefined,
        );
        const from = gethValue<number>(founder, "eth.blockNumber");
        const sealed = await waitFor(`a block proposed by ${joiner.name}`, 3 * MINUTE, async () => {
            const head = gethValue<number>(founder, "eth.blockNumber");
            for (let b = from; b <= head; b++) if (gethValue<{ Author: string }>(founder, `istanbul.getSignersFromBlock(${b})`).Author.toLowerCase() === joiner.validatorAddress) return b;
            return undefined;
        });
        assert.ok(sealed >= from);
        // The validator set is every exported validator of both organizations, on every node.
        const validators = nodes.filter((n) => n.role === "validator").length;
        for (const n of nodes) assert.equal(gethValue<string[]>(n, `istanbul.getValidators("latest")`).length, validators, n.name);
        assert.equal(`0x${keccak256(`0x${joiner.enodeId}`).slice(-40)}`, joiner.validatorAddress, "the exported validator address is the nodekey's");
    });

    it("npm run lab reports every node's chain, the validator set before and after the joiner's vote, and the joiner's first sealed block", () => {
        const chain = report.chain!;
        assert.equal(chain.nodes.length, nodes.length);
        const founders = nodes.filter((n) => n.cluster === "a" && n.role === "validator").map((n) => n.validatorAddress).sort();
        const joiners = nodes.filter((n) => n.cluster === "b" && n.role === "validator").map((n) => n.validatorAddress);
        assert.deepEqual(chain.validatorsAtGenesis, founders);
        assert.deepEqual(chain.validatorsNow, [...founders, ...joiners].sort());
        assert.ok(joiners.includes(chain.firstJoinerSeal.author));
        for (const row of chain.nodes) {
            const n = nodes.find((x) => x.name === row.node)!;
            assert.equal(row.validator, n.role === "validator", `${row.node} validator flag`);
            assert.equal(row.peers, nodes.length - 1, `${row.node} peers`);
            if (row.validator) assert.ok(row.lastSealed !== undefined && row.lastSealed > row.height - 50, `${row.node} sealed recently (last ${row.lastSealed}, head ${row.height})`);
        }
    });

    it("a private contract from an orgA node to an orgB node's Tessera key is readable on the recipient and the sender, and empty on every other node", async () => {
        // Another pair than the lab report's (first validator of A to first of B): members.
        const sender = nodes.find((n) => n.name === "a-member1")!;
        const recipient = nodes.find((n) => n.name === "b-member1")!;
        const r = await sendCrossOrgPrivate(sender, recipient, nodes);
        for (const n of nodes) {
            const party = n === sender || n === recipient;
            assert.equal(r.values[n.name], party ? r.expected : "0x", `${n.name} (${party ? "party" : "not a party"})`);
        }
    });

    it("all nodes agree on the block hash at a common height", () => {
        const common = Math.min(...nodes.map((n) => gethValue<number>(n, "eth.blockNumber")));
        const hashes = nodes.map((n) => gethValue<string>(n, `eth.getBlock(${common}).hash`));
        assert.equal(new Set(hashes).size, 1, `block ${common}: ${hashes.join(" ")}`);
    });

    for (const c of CLUSTER_NAMES) {
        it(`qctl status on ${REAL_CLUSTERS[c].stack} reports the true heights, peers, validator flags, Tessera and reconciler, and exits 0`, async () => {
            const r = await qctl("status", "-s", REAL_CLUSTERS[c].stack, "--cwd", REAL_PROJECT_DIR, "--json");
            const rows = JSON.parse(r.out) as { node: string; block: number; peers: number; validator: boolean; tessera: string; reconciler?: { state: string }; healthy: boolean }[];
            for (const row of rows) {
                const n = nodes.find((x) => x.name === row.node)!;
                const height = gethValue<number>(n, "eth.blockNumber");
                assert.ok(Math.abs(row.block - height) <= 3, `${row.node}: status says block ${row.block}, geth now ${height}`);
                assert.equal(row.peers, nodes.length - 1, `${row.node} peers`);
                assert.equal(row.validator, n.role === "validator", `${row.node} validator`);
                assert.equal(row.tessera, "up");
                assert.equal(row.reconciler?.state, "ok", `${row.node} reconciler`);
                assert.equal(row.healthy, true);
            }
            assert.equal(r.code, 0, r.err);
        });

        it(`qctl test on ${REAL_CLUSTERS[c].stack} runs the acceptance Job on the real nodes and passes`, async () => {
            const r = await qctl("test", "-s", REAL_CLUSTERS[c].stack, "--cwd", REAL_PROJECT_DIR);
            assert.match(r.out, /qstack-acceptance: RESULT pass/);
            // Sender and recipient are two own nodes; every other own node must see nothing.
            const own = nodes.filter((n) => n.cluster === c).length;
            assert.equal(r.out.match(/PASS private contract hidden from /g)?.length ?? 0, own - Math.min(2, own), r.out);
            assert.equal(r.code, 0, `${r.out}\n${r.err}`);
        });
    }

    it("qctl geth exec evaluates a console expression in a real node's geth: istanbul.nodeAddress is the validator address the stack exports", () => {
        for (const cluster of CLUSTER_NAMES) {
            const n = nodes.find((x) => x.cluster === cluster && x.role === "validator") as RealNode;
            // `qctl geth exec` hands the terminal to kubectl exec, so it runs as its own process here.
            const out = execFileSync("node", ["bin/qctl", "geth", "exec", n.name, "istanbul.nodeAddress", "-s", REAL_CLUSTERS[cluster].stack, "--cwd", REAL_PROJECT_DIR], { encoding: "utf8" });
            assert.equal(JSON.parse(out.trim()).toLowerCase(), n.validatorAddress, n.name);
        }
    });

    it("each organization's in-namespace Prometheus scrapes every geth and Tessera target of its nodes up, through the stack's own NetworkPolicy", async () => {
        for (const cluster of CLUSTER_NAMES) {
            const mine = nodes.filter((n) => n.cluster === cluster).map((n) => n.name).sort();
            const targets = await waitFor(`cluster ${cluster}'s Prometheus scraping ${mine.join(", ")} up`, 3 * MINUTE, async () => {
                const t = scrapeTargets(cluster);
                return t.length === 2 * mine.length && t.every((x) => x.health === "up") ? t : undefined;
            }, 5000);
            for (const job of Object.values(SCRAPE_JOBS)) {
                assert.deepEqual(targets.filter((t) => t.job === job).map((t) => t.node).sort(), mine, `${cluster} ${job}`);
            }
        }
    });

    it("every geth metric the Grafana dashboard queries has a live series per node, and the heads it reports are the chain's", async () => {
        for (const cluster of CLUSTER_NAMES) {
            const mine = nodes.filter((n) => n.cluster === cluster);
            for (const metric of Object.values(GETH_METRICS)) {
                const samples = await waitFor(`${metric} for every node of cluster ${cluster}`, 2 * MINUTE, async () => {
                    const s = promQuery(cluster, `${metric}{job="${SCRAPE_JOBS.geth}"}`);
                    return s.length === mine.length ? s : undefined;
                }, 5000);
                assert.deepEqual(samples.map((s) => s.labels.node).sort(), mine.map((n) => n.name).sort(), `${cluster} ${metric}`);
            }
            // The scraped head (at most one scrape interval old) is a block the node really has.
            for (const s of promQuery(cluster, `${GETH_METRICS.headBlock}{job="${SCRAPE_JOBS.geth}"}`)) {
                const n = mine.find((x) => x.name === s.labels.node) as RealNode;
                const height = gethValue<number>(n, "eth.blockNumber");
                assert.ok(s.value > 0 && s.value <= height && height - s.value < 30, `${n.name}: Prometheus head ${s.value}, geth head ${height}`);
            }
        }
    });
});
