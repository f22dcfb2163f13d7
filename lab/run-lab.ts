/**
 * `npm run lab`: the whole product on one machine. Builds the toolchain (first time), starts two
 * clusters with real nodes (lab/real-lab.ts; `-- --simulated` for the kwok ones), runs the real
 * two-organization handshake with `pulumi` against them, then, on real nodes, follows the chain
 * (lab/chain/real-chain-report.ts), and prints a report. `npm run lab:down` stops everything.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { AutomationDriver, findFounder } from "../cli/network/automation-driver";
import { converge } from "../cli/network/converge";
import type { ExternalNodesDocument } from "../core/export/external-nodes";
import { CLUSTERS, LAB_DIR, STATE_DIR, clustersUp, enterLab, prepareProject, toolchainPath } from "./lab-env";
import { formatChainReport, type ChainContext, type ChainReport } from "./chain/real-chain-report";
import { REAL_LAB } from "./real-lab";
import { formatMilestones, MilestoneLog, type Milestone } from "./milestones";

/** Which lab to run: the simulated clusters (kwok) or the real-node ones (lab/real-lab.ts). */
export interface LabTarget {
    readonly name: string;
    readonly stateDir: string;
    readonly reportFile: string;
    /** Starts the clusters (idempotent); true when they were started empty by this call. */
    clustersUp(): boolean;
    /** The lab's copy of the project, stacks pointed at the target's clusters; returns its directory. */
    prepareProject(): string;
    /** Per running node pod, what the report shows (real nodes only). */
    describePods?(): NodePodReport[];
    /** What the running chain says once the stacks converged (real nodes only). */
    observeChain?(context: ChainContext): Promise<ChainReport>;
}

export interface NodePodReport {
    readonly cluster: string;
    readonly pod: string;
    readonly ready: boolean;
    readonly restarts: number;
    /** As the running processes report them. */
    readonly geth?: string;
    readonly tessera?: string;
    /** When the pod last became Ready (its Ready condition's lastTransitionTime). */
    readonly readySince?: string;
}

export const SIMULATED_LAB: LabTarget = {
    name: "simulated",
    stateDir: STATE_DIR,
    reportFile: join(LAB_DIR, "report.json"),
    clustersUp: () => {
        clustersUp();
        return false;
    },
    prepareProject: () => prepareProject(),
};

export interface LabReport {
    readonly lab: string;
    readonly updates: number;
    readonly rounds: number;
    readonly converged: boolean;
    readonly seconds: number;
    readonly finalPreviewChanges: Record<string, number>;
    readonly stacks: Record<string, { org: string; nodes: number; genesisHash: string; nodeIp: string; external: string[] }>;
    readonly pods?: NodePodReport[];
    readonly chain?: ChainReport;
    /** Where the time went (./milestones.ts), the run's steps and the chain's moments together. */
    readonly milestones: readonly Milestone[];
}

function step(text: string): void {
    process.stderr.write(`\n== ${text}\n`);
}

export async function runLab(target: LabTarget = SIMULATED_LAB): Promise<LabReport> {
    const started = Date.now();
    const log = new MilestoneLog(started);
    step("toolchain");
    enterLab(toolchainPath(), target.stateDir);
    log.mark("toolchain and images ready");
    step(`clusters (${target.name})`);
    const freshClusters = target.clustersUp();
    log.mark(freshClusters ? "clusters up (started empty)" : "clusters up (already running)");
    const project = target.prepareProject();
    const stacks = Object.values(CLUSTERS).map((c) => c.stack);
    const driver = new AutomationDriver(project, (stack, line) => {
        if (process.env.QSTACK_LAB_VERBOSE) process.stderr.write(`[${stack}] ${line}\n`);
    });
    step(`handshake: ${stacks.join(", ")}`);
    const founder = await findFounder(stacks, (s) => driver.genesisFrom(s));
    const result = await converge(stacks, founder, driver, {
        onEvent: (e) => {
            process.stderr.write(e.action === "preview" ? `[${e.stack}] round ${e.round}: preview: ${e.changes} change(s)\n` : `[${e.stack}] round ${e.round}: updated\n`);
            if (e.action === "up") log.mark(`handshake: ${e.stack} updated (round ${e.round})`);
        },
    });
    // converge ends on a preview of every stack after the last update: those are the final previews.
    const finalPreviewChanges: Record<string, number> = Object.fromEntries(stacks.map((s) => [s, result.lastPreviews[s]]));
    log.mark(`handshake ${result.converged ? "converged" : "did not converge"}, both previews checked`);
    const report: LabReport = {
        lab: target.name,
        updates: result.updates,
        rounds: result.rounds,
        converged: result.converged,
        seconds: Math.round((Date.now() - started) / 1000),
        finalPreviewChanges,
        stacks: {},
        milestones: log.milestones,
    };
    for (const s of stacks) {
        const doc = (await driver.externalNodes(s)) as ExternalNodesDocument;
        report.stacks[s] = {
            org: doc.org,
            nodes: doc.nodes.length,
            genesisHash: doc.genesisHash,
            nodeIp: doc.nodeIp,
            external: doc.nodes.map((n) => `${n.name} ${n.role} p2p ${doc.nodeIp}:${n.p2pNodePort}${n.tesseraP2pUrl ? ` tessera ${n.tesseraP2pUrl.replace("http://", "")}` : ""}`),
        };
    }
    const pods = target.describePods?.();
    const readyTimes = (pods ?? []).map((p) => (p.readySince ? Date.parse(p.readySince) : NaN)).filter((t) => t >= started);
    if (freshClusters && pods && readyTimes.length === pods.length && pods.length > 0) log.mark(`all ${pods.length} node pods Ready`, Math.max(...readyTimes));
    const withPods = pods ? { ...report, pods } : report;
    let full: LabReport = withPods;
    if (target.observeChain) {
        step("chain: joiner validators voted in and sealing, a private transaction from orgA to orgB");
        const chain = await target.observeChain({ startedAt: started, freshClusters });
        full = { ...withPods, chain, milestones: [...log.milestones, ...chain.milestones] };
    }
    writeFileSync(target.reportFile, JSON.stringify(full, null, 2));
    return full;
}

export function formatReport(r: LabReport): string {
    const lines = [`qstack lab (${r.lab}): ${r.converged ? "converged" : "NOT converged"} after ${r.updates} updates in ${r.rounds} rounds (${r.seconds} s)`];
    for (const [stack, s] of Object.entries(r.stacks)) {
        lines.push("", `${stack} (${s.org}): ${s.nodes} nodes, node IP ${s.nodeIp}, genesis ${s.genesisHash}`);
        for (const e of s.external) lines.push(`  ${e}`);
    }
    lines.push("", `previews after convergence: ${Object.entries(r.finalPreviewChanges).map(([s, n]) => `${s} ${n} changes`).join(", ")}`);
    const hashes = new Set(Object.values(r.stacks).map((s) => s.genesisHash));
    lines.push(`genesis: ${hashes.size === 1 ? "identical on both sides" : "DIFFERENT"}`);
    if (r.pods) {
        lines.push("", "node pods:");
        for (const p of r.pods) lines.push(`  ${p.cluster}/${p.pod}: ${p.ready ? "Ready" : "NOT ready"}, ${p.restarts} restarts, ${p.geth ?? "geth ?"}, ${p.tessera ?? "no Tessera"}`);
    }
    if (r.chain) lines.push(...formatChainReport(r.chain));
    lines.push("", "where the time went (seconds since this run started, and since the step before):", ...formatMilestones(r.milestones));
    return lines.join("\n");
}

if (require.main === module) {
    // `npm run lab -- --simulated`: the kwok clusters (no containers run) instead of the real-node ones.
    const target = process.argv.includes("--simulated") ? SIMULATED_LAB : REAL_LAB;
    runLab(target).then(
        (r) => {
            process.stdout.write(`${formatReport(r)}\n`);
            if (!r.converged || Object.values(r.finalPreviewChanges).some((n) => n !== 0) || r.pods?.some((p) => !p.ready)) process.exitCode = 1;
        },
        (e) => {
            process.stderr.write(`lab failed: ${(e as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
