/**
 * `npm run bench`: the figures in the README, each the median of several runs, as a table and
 * as JSON (bench/results/latest.json).
 *
 * 1. Program evaluation with the mocked engine, 2 organizations × 4, 16, 64 nodes.
 * 2. Key material for 64 nodes: qstack's in-process derivation against GoQuorum's bootnode and
 *    Tessera's -keygen, as Qubernetes ran them (./key-material-bench.ts; target: at least 100×).
 * 3. Real engine in the lab (after `npm run lab`; skipped with a note otherwise): `pulumi
 *    preview` of the converged network vs an empty stack's preview (the engine's floor), and
 *    the handshake's update count and time from the lab report.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { keyMaterialBench } from "./key-material-bench";

const ROOT = resolve(__dirname, "..");
const RUNS = Number(process.env.QSTACK_BENCH_RUNS ?? 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
    if (process.env.QSTACK_BENCH_LAB === "1") {
        const { labBench } = await import("./lab-bench");
        const lab = (await labBench()) as { floorMs: number; previews: any[]; convergence: any[] };
        results.lab = lab;
        lines.push("", `Real engine in the lab: unchanged preview, median of ${RUNS} (empty-stack floor ${lab.floorMs} ms):`, "  nodes/org  founder ms  joiner ms  changes  target (2x8: <= 3x floor + 2 s)");
        for (const p of lab.previews) lines.push(`  ${String(p.nodesPerOrg).padStart(9)}  ${String(p.founderMs).padStart(10)}  ${String(p.joinerMs).padStart(9)}  ${String(p.changes).padStart(7)}  ${p.nodesPerOrg === 8 ? (p.withinTarget ? "met" : "MISSED") : "-"}`);
        lines.push("", "Convergence from nothing (lab):");
        for (const c of lab.convergence) lines.push(`  ${c.organizations} organizations x ${c.nodesPerOrg} nodes: ${c.updates} updates, ${c.seconds} s, converged: ${c.converged}`);
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
