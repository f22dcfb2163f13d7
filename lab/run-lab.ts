/**
 * `npm run lab`: the whole product on one machine. Builds the toolchain (first time), starts two
 * simulated clusters, runs the real two-organization handshake with `pulumi` against them, and
 * prints a short report. `npm run lab:down` stops everything.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { AutomationDriver, findFounder } from "../cli/network/automation-driver";
import { converge } from "../cli/network/converge";
import type { ExternalNodesDocument } from "../core/export/external-nodes";
import { CLUSTERS, LAB_DIR, clustersUp, enterLab, prepareProject } from "./lab-env";

export interface LabReport {
    readonly updates: number;
    readonly rounds: number;
    readonly converged: boolean;
    readonly seconds: number;
    readonly finalPreviewChanges: Record<string, number>;
    readonly stacks: Record<string, { org: string; nodes: number; genesisHash: string; nodeIp: string; external: string[] }>;
}

function step(text: string): void {
    process.stderr.write(`\n== ${text}\n`);
}

export async function runLab(): Promise<LabReport> {
    const started = Date.now();
    step("toolchain");
    enterLab();
    step("clusters");
    clustersUp();
    const project = prepareProject();
    const stacks = Object.values(CLUSTERS).map((c) => c.stack);
    const driver = new AutomationDriver(project, (stack, line) => {
        if (process.env.QSTACK_LAB_VERBOSE) process.stderr.write(`[${stack}] ${line}\n`);
    });
    step(`handshake: ${stacks.join(", ")}`);
    const founder = await findFounder(stacks, (s) => driver.genesisFrom(s));
    const result = await converge(stacks, founder, driver, {
        onEvent: (e) => process.stderr.write(e.action === "preview" ? `[${e.stack}] round ${e.round}: preview: ${e.changes} change(s)\n` : `[${e.stack}] round ${e.round}: updated\n`),
    });
    const finalPreviewChanges: Record<string, number> = {};
    for (const s of stacks) finalPreviewChanges[s] = await driver.preview(s);
    const report: LabReport = {
        updates: result.updates,
        rounds: result.rounds,
        converged: result.converged,
        seconds: Math.round((Date.now() - started) / 1000),
        finalPreviewChanges,
        stacks: {},
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
    writeFileSync(join(LAB_DIR, "report.json"), JSON.stringify(report, null, 2));
    return report;
}

export function formatReport(r: LabReport): string {
    const lines = [`qstack lab: ${r.converged ? "converged" : "NOT converged"} after ${r.updates} updates in ${r.rounds} rounds (${r.seconds} s)`];
    for (const [stack, s] of Object.entries(r.stacks)) {
        lines.push("", `${stack} (${s.org}): ${s.nodes} nodes, node IP ${s.nodeIp}, genesis ${s.genesisHash}`);
        for (const e of s.external) lines.push(`  ${e}`);
    }
    lines.push("", `previews after convergence: ${Object.entries(r.finalPreviewChanges).map(([s, n]) => `${s} ${n} changes`).join(", ")}`);
    const hashes = new Set(Object.values(r.stacks).map((s) => s.genesisHash));
    lines.push(`genesis: ${hashes.size === 1 ? "identical on both sides" : "DIFFERENT"}`);
    return lines.join("\n");
}

if (require.main === module) {
    runLab().then(
        (r) => {
            process.stdout.write(`${formatReport(r)}\n`);
            if (!r.converged || Object.values(r.finalPreviewChanges).some((n) => n !== 0)) process.exitCode = 1;
        },
        (e) => {
            process.stderr.write(`lab failed: ${(e as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
