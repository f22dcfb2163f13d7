/**
 * `npm run bench`: the figures in the README, each the median of several runs, as a table and
 * as JSON (bench/results/latest.json).
 *
 * 1. Program evaluation with the mocked engine, 2 organizations × 4, 16, 64 nodes.
 * 2. Key material for 64 nodes: qstack's in-process derivation against GoQuorum's bootnode and
 *    Tessera's -keygen, as Qubernetes ran them (./key-material-bench.ts; target: at least 100×).
 * 2b. Consortium scale: one organization of 8 nodes with 10 and 30 partner organizations of 8
 *    nodes each (./partner-scale-worker.ts), and the largest ConfigMap against Kubernetes' object
 *    limit (core/k8s/config-map-size.ts: the consortium size at which qstack refuses).
 * 3. The chain, from `npm run lab`'s last report (.lab/real-report.json): seconds from empty
 *    clusters to the first block a joiner validator sealed and to the first private transaction
 *    read across organizations, broken down by phase (lab/milestones.ts).
 * 4. Steady-state cost of a node on the running real lab (./node-cost-bench.ts).
 * 5. Real engine in the lab (after `npm run lab`; skipped with a note otherwise): `pulumi
 *    preview` of the converged network vs an empty stack's preview (the engine's floor), and
 *    the handshake's update count and time from the lab report.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { keyMaterialBench } from "./key-material-bench";
import { LAB_DIR, realKubeconfigOf } from "../lab/lab-env";
import { nodeCostBench } from "./node-cost-bench";
import { CONFIG_MAP_DATA_LIMIT_BYTES, maxConsortiumNodes } from "../core/k8s/config-map-size";
import { formatMilestones, type Milestone } from "../lab/milestones";

const ROOT = resolve(__dirname, "..");
const RUNS = Number(process.env.QSTACK_BENCH_RUNS ?? 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

interface EvalFigure {
    mode: string;
    nodesPerOrg: number;
    medianMs: number;
    msPerNode: number;
    resources: number;
    peakRssMb: number;
}

/** The worker compiled by tsc, as `node` runs a built program (no ts-node in the process). */
function compileWorker(): string {
    const out = join(__dirname, "results", "build");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.json"), "--outDir", out], { cwd: ROOT, stdio: "inherit" });
    return join(out, "bench", "program-eval-worker.js");
}

function programEvaluation(): EvalFigure[] {
    const compiled = compileWorker();
    const modes: [string, string[]][] = [
        ["compiled", [compiled]],
        // ts-node installs source-map-support, which makes every stack trace the SDK captures
        // (one per resource and per promise) expensive: what a `typescript: true` run pays.
        ["ts-node", ["-r", "ts-node/register/transpile-only", join(__dirname, "program-eval-worker.ts")]],
    ];
    return modes.flatMap(([mode, argv]) =>
        [4, 16, 64].map((n) => {
            progress(`program evaluation (${mode}): 2 x ${n} nodes, ${RUNS} runs`);
            const runs = Array.from({ length: RUNS }, () =>
                JSON.parse(execFileSync(process.execPath, [...argv, String(n)], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_PATH: join(ROOT, "node_modules") } })) as {
                    ms: number;
                    resources: number;
                    maxRssMb: number;
                },
            );
            const ms = median(runs.map((r) => r.ms));
            return { mode, nodesPerOrg: n, medianMs: Math.round(ms), msPerNode: Math.round((ms / (2 * n)) * 10) / 10, resources: runs[0].resources, peakRssMb: Math.round(Math.max(...runs.map((r) => r.maxRssMb))) };
        }),
    );
}

async function main(): Promise<void> {
    const results: Record<string, unknown> = {
        machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
        date: new Date().toISOString(),
        runs: RUNS,
    };
    const evals = programEvaluation();
    results.programEvaluation = evals;
    const lines = ["Program evaluation, mocked engine, 2 organizations (median of " + RUNS + " runs):", "  mode      nodes/org  wall ms  ms/node  resources  peak RSS MB"];
    for (const e of evals) lines.push(`  ${e.mode.padEnd(8)}  ${String(e.nodesPerOrg).padStart(9)}  ${String(e.medianMs).padStart(7)}  ${String(e.msPerNode).padStart(7)}  ${String(e.resources).padStart(9)}  ${String(e.peakRssMb).padStart(11)}`);
    const scale = [10, 30].map((partners) => {
        progress(`consortium scale: ${partners} partners of 8 nodes, ${RUNS} runs`);
        const runs = Array.from({ length: RUNS }, () =>
            JSON.parse(execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "partner-scale-worker.ts"), String(partners), "8"], { cwd: ROOT, encoding: "utf8" })) as {
                ms: number;
                resources: number;
                maxRssMb: number;
                largestConfigMap: { name: string; bytes: number };
                consortiumNodes: number;
            },
        );
        return { partners, nodesPerPartner: 8, consortiumNodes: runs[0].consortiumNodes, medianMs: Math.round(median(runs.map((r) => r.ms))), peakRssMb: Math.round(Math.max(...runs.map((r) => r.maxRssMb))), resources: runs[0].resources, largestConfigMap: runs[0].largestConfigMap };
    });
    const limitShape = (host?: string) => ({ consensus: "qbft" as const, nodes: Array.from({ length: 8 }, (_, i) => ({ name: `n${i}`, host, validator: i % 4 !== 3, tessera: true })) });
    const limit = { ipv4: maxConsortiumNodes(limitShape("10.0.0.1")), worstCase: maxConsortiumNodes(limitShape()), dataLimitBytes: CONFIG_MAP_DATA_LIMIT_BYTES };
    results.consortiumScale = { runs: scale, configMapLimit: limit };
    lines.push("", `Consortium scale, mocked engine, one organization of 8 nodes joining P partners of 8 nodes (median of ${RUNS}; ts-node):`, "  partners  consortium nodes  wall ms  peak RSS MB  resources  largest ConfigMap");
    for (const s of scale) lines.push(`  ${String(s.partners).padStart(8)}  ${String(s.consortiumNodes).padStart(16)}  ${String(s.medianMs).padStart(7)}  ${String(s.peakRssMb).padStart(11)}  ${String(s.resources).padStart(9)}  ${s.largestConfigMap.name} ${(s.largestConfigMap.bytes / 1024).toFixed(1)} KiB`);
    lines.push(`  Kubernetes' 1 MiB object limit (${limit.dataLimitBytes / 1024} KiB of data) is reached at ${limit.ipv4} nodes with IPv4 node IPs (${limit.worstCase} with the longest IPv6 ones); qstack refuses a larger consortium before declaring anything`);
    const keys = keyMaterialBench(64, RUNS, Number(process.env.QSTACK_BENCH_KEY_RUNS ?? 3));
    results.keyMaterial = keys;
    const a = keys.agreement;
    lines.push(
        "",
        `Key material for ${keys.nodes} nodes (nodekey, enode id, validator address, Tessera key pair; qstack also the account keystore):`,
        `  qstack in process          ${String(keys.qstack.medianMs).padStart(8)} ms  (median of ${keys.qstack.runs})`,
        `  bootnode + Tessera -keygen ${String(keys.qubernetesPath.medianMs).padStart(8)} ms  (median of ${keys.qubernetesPath.runs}; ${keys.qubernetesPath.tools})`,
        `  ratio ${keys.ratio}x (target: at least 100x: ${keys.ratio >= 100 ? "met" : "MISSED"})`,
        `  agreement: bootnode writes qstack's enode id for ${a.qstackNodekeysInBootnode}/${keys.nodes} qstack nodekeys; qstack derives bootnode's for ${a.bootnodeNodekeysInQstack}/${keys.nodes} and Tessera's public key for ${a.tesseraKeysInQstack}/${keys.nodes}`,
    );
    const chainReport = join(LAB_DIR, "real-report.json");
    const chain = existsSync(chainReport) ? (JSON.parse(readFileSync(chainReport, "utf8")) as { milestones?: Milestone[]; chain?: unknown }) : undefined;
    const fresh = chain?.milestones?.some((m) => m.name.startsWith("clusters up (started empty)")) && chain.milestones.some((m) => m.name.startsWith("first block sealed by a joiner"));
    if (chain?.milestones && fresh) {
        results.chainPhases = chain.milestones;
        lines.push("", `The chain, from npm run lab's last report (${chainReport}), from empty clusters:`, ...formatMilestones(chain.milestones));
    } else {
        lines.push("", "Chain phases: run npm run lab:down && npm run lab first (its report from empty clusters has them).");
    }
    if (existsSync(realKubeconfigOf("a"))) {
        const cost = await nodeCostBench(process.env.QSTACK_BENCH_COST_SECONDS ? Number(process.env.QSTACK_BENCH_COST_SECONDS) : undefined);
        results.nodeCost = cost;
        lines.push("", `Steady state of a node on the running real lab (idle, ${cost.windowSeconds} s window, median over node pods):`, "  container    CPU millicores  working set MiB");
        for (const [name, c] of Object.entries(cost.perContainer)) lines.push(`  ${name.padEnd(11)}  ${String(c.cpuMillicores).padStart(14)}  ${String(c.workingSetMiB).padStart(15)}`);
        lines.push(`  the reconciler: ${cost.reconcilerCpuMsPerRun} ms of CPU per run (checks every ${cost.reconcilerIntervalSeconds} s, runs once per ${cost.reconcilerIdleIntervalSeconds} s at idle)`);
    } else {
        lines.push("", "Node steady-state cost: needs the real lab running (npm run lab).");
    }
    if (process.env.QSTACK_BENCH_LAB === "1") {
        const { labBench } = await import("./lab-bench");
        const lab = await labBench();
        results.lab = lab;
        const verdict = (met: boolean | undefined) => (met === undefined ? "-" : met ? "met" : "MISSED");
        lines.push(
            "",
            `Real engine in the lab: unchanged preview, median of ${RUNS}; empty-stack floors: bare ${lab.floor.bareMs} ms, with the SDK loaded ${lab.floor.sdkMs} ms:`,
            "  nodes/org  founder ms  joiner ms  changes  x bare floor  x SDK floor  target  vs bare  vs SDK",
        );
        for (const p of lab.previews) {
            lines.push(
                `  ${String(p.nodesPerOrg).padStart(9)}  ${String(p.founderMs).padStart(10)}  ${String(p.joinerMs).padStart(9)}  ${String(p.changes).padStart(7)}  ${String(p.ratioToBareFloor).padStart(12)}  ${String(p.ratioToSdkFloor).padStart(11)}  ${(p.target ? `${p.target}x` : "-").padStart(6)}  ${verdict(p.withinTargetOfBareFloor).padStart(7)}  ${verdict(p.withinTargetOfSdkFloor).padStart(6)}`,
            );
        }
        lines.push("", "Convergence from nothing (lab):");
        for (const c of lab.convergence) lines.push(`  ${c.organizations} organizations x ${c.nodesPerOrg} nodes (${c.mode}): ${c.updates} updates in ${c.rounds} rounds, ${c.seconds} s, converged: ${c.converged}`);
        lines.push("", "Six organizations of one node (Tessera off), from nothing, same run:");
        for (const r of lab.six.runs) lines.push(`  ${r.mode.padEnd(10)} ${r.updates} updates in ${r.rounds} rounds, ${r.seconds} s, converged: ${r.converged}`);
        lines.push(`  parallel is ${lab.six.speedup}x faster; same final state in both modes: ${lab.six.sameFinalState}`);
    } else {
        lines.push("", "Real-engine figures: QSTACK_BENCH_LAB=1 npm run bench (starts the lab clusters).");
    }
    mkdirSync(join(__dirname, "results"), { recursive: true });
    writeFileSync(join(__dirname, "results", "latest.json"), JSON.stringify(results, null, 2));
    process.stdout.write(`${lines.join("\n")}\n\nJSON: bench/results/latest.json\n`);
}

main().catch((e) => {
    process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
    process.exitCode = 1;
});
