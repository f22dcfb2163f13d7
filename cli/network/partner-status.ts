/**
 * `qctl network status`: which stacks consumed partner exports that have changed since their
 * last update, read from the stacks' own outputs (`partners`, `pendingPartners`) and the
 * partners' current `externalNodes`, without a preview. See core/export/partner-drift.ts.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { parseExternalNodesDocument } from "../../core/export/external-nodes";
import { describeDrift, type ConsumedPartner } from "../../core/export/partner-drift";

/** Where stack outputs and partner files come from; injectable so tests need no backend. */
export interface StatusSources {
    /** The stack's outputs as plain values, or undefined when it does not exist or has never been updated. */
    outputs(stack: string): Promise<Record<string, unknown> | undefined>;
    /** A partner export file, relative to the project directory. */
    readFile(path: string): string;
}

/** One stack's verdict. */
export interface StackPartnerStatus {
    readonly stack: string;
    readonly stale: boolean;
    /** Partner exports it consumed (or was waiting for) and checked. */
    readonly partners: number;
    /** Per partner whose export changed: what changed. */
    readonly drift: readonly { readonly partner: string; readonly org?: string; readonly changes: readonly string[] }[];
}

/** The backend the project's `pulumi` uses (from the environment), read only: no stack is created or selected for good. */
export function backendSources(projectDir: string): StatusSources {
    return {
        async outputs(stack) {
            let s;
            try {
                s = await LocalWorkspace.selectStack({ stackName: stack, workDir: projectDir });
            } catch {
                return undefined;
            }
            const out = await s.outputs();
            if (Object.keys(out).length === 0) return undefined;
            return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value]));
        },
        readFile: (path) => readFileSync(resolve(projectDir, path), "utf8"),
    };
}

async function currentExport(p: ConsumedPartner, sources: StatusSources) {
    if (p.via === "file") return parseExternalNodesDocument(JSON.parse(sources.readFile(p.source)), p.source);
    const out = await sources.outputs(p.source);
    if (out?.externalNodes === undefined) return undefined;
    return parseExternalNodesDocument(out.externalNodes, p.source);
}

/**
 * Each stack's outputs are read once per call: a partner is consumed by every other stack, and
 * each read through the backend starts the pulumi CLI.
 */
function readOnce(sources: StatusSources): StatusSources {
    const outputs = new Map<string, Promise<Record<string, unknown> | undefined>>();
    return {
        outputs(stack) {
            if (!outputs.has(stack)) outputs.set(stack, sources.outputs(stack));
            return outputs.get(stack) as Promise<Record<string, unknown> | undefined>;
        },
        readFile: (path) => sources.readFile(path),
    };
}

export async function partnerStatus(stacks: readonly string[], backend: StatusSources): Promise<StackPartnerStatus[]> {
    const sources = readOnce(backend);
    const report: StackPartnerStatus[] = [];
    for (const stack of stacks) {
        const out = await sources.outputs(stack);
        if (!out) {
            report.push({ stack, stale: true, partners: 0, drift: [{ partner: stack, changes: ["not deployed yet (no outputs)"] }] });
            continue;
        }
        const consumed = (out.partners ?? []) as ConsumedPartner[];
        const pending = (out.pendingPartners ?? []) as string[];
        const drift: StackPartnerStatus["drift"][number][] = [];
        for (const p of consumed) {
            if (typeof p.digest !== "string") {
                drift.push({ partner: p.source, org: p.org, changes: ["consumed before qstack recorded export digests; update once to record it"] });
                continue;
            }
            const now = await currentExport(p, sources);
            const changes = now ? describeDrift(p, now) : ["partner no longer exports externalNodes"];
            if (changes.length > 0) drift.push({ partner: p.source, org: p.org, changes });
        }
        for (const partner of pending) {
            const now = await sources.outputs(partner);
            if (now?.externalNodes !== undefined) drift.push({ partner, changes: ["deployed since this stack's last update (it was pending)"] });
        }
        report.push({ stack, stale: drift.length > 0, partners: consumed.length + pending.length, drift });
    }
    return report;
}

/** Human-readable lines, with what to run for each stale stack. */
export function formatPartnerStatus(report: readonly StackPartnerStatus[], allStacks: readonly string[]): string[] {
    const lines: string[] = [];
    const stale = report.filter((r) => r.stale).map((r) => r.stack);
    for (const r of report) {
        if (!r.stale) {
            lines.push(`${r.stack}: up to date (${r.partners} partner export${r.partners === 1 ? "" : "s"} consumed, all current)`);
            continue;
        }
        lines.push(`${r.stack}: STALE`);
        for (const d of r.drift) lines.push(`  ${d.partner}${d.org ? ` (${d.org})` : ""}: ${d.changes.join("; ")}`);
        lines.push(`  run: pulumi up -s ${r.stack}`);
    }
    if (stale.length > 0 && allStacks.length > 1) lines.push(`or, for every stale stack at once: qctl network up --stacks ${allStacks.join(",")}`);
    return lines;
}
