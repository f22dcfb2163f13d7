/**
 * Real-engine figures in the lab (part of `npm run bench` when QSTACK_BENCH_LAB=1):
 *
 * - `pulumi preview` of a converged, unchanged 2-organization network of 2, 8 and 16 nodes per
 *   organization, against the previews of empty stacks of the same runtime (the engine's floor,
 *   bare and with the SDK loaded), all in the same run;
 * - updates and wall time from nothing to a converged network of 2 and 3 organizations;
 * - six organizations of one node each (Tessera off) converged from nothing by `qctl network up`'s
 *   parallel rounds and by its sequential mode, in the same run, each on its own fresh stacks:
 *   wall times side by side, and the final state of both (every stack merging the five others,
 *   peer lists of all six nodes, every preview empty) compared.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dump } from "js-yaml";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { AutomationDriver } from "../cli/network/automation-driver";
import { converge, type ConvergeMode } from "../cli/network/converge";
import { LAB_DIR, PROJECT_DIR, REPO, clustersUp, enterLab, kubeconfigOf, prepareProject, type ClusterName } from "../lab/lab-env";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const RUNS = Number(process.env.QSTACK_BENCH_RUNS ?? 5);

interface OrgSpec {
    stack: string;
    org: string;
    cluster: ClusterName;
    nodes: number;
    founder?: string;
    partners: string[];
    /** Runs Tessera. @default true */
    tessera?: boolean;
}

function writeStack(spec: OrgSpec): void {
    const nodes = Array.from({ length: spec.nodes }, (_, i) => ({ name: `${spec.org}-n${i + 1}`, ...(i % 4 === 3 ? { role: "member" } : {}), ...(spec.tessera === false ? { tessera: false } : {}) }));
    const config: Record<string, unknown> = {
        "qstack:org": spec.org,
        "qstack:nodes": nodes,
        "qstack:partners": spec.partners.map((p) => `organization/qstack/${p}`),
        "kubernetes:kubeconfig": kubeconfigOf(spec.cluster),
    };
    if (spec.founder) config["qstack:genesisFrom"] = `organization/qstack/${spec.founder}`;
    const file = join(PROJECT_DIR, `Pulumi.${spec.stack}.yaml`);
    if (!existsSync(file)) writeFileSync(file, dump({ config }));
}

async function timedPreviews(driver: AutomationDriver, stack: string): Promise<{ medianMs: number; changes: number[] }> {
    const ms: number[] = [];
    const changes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        const t = Date.now();
        changes.push(await driver.preview(stack));
        ms.push(Date.now() - t);
    }
    return { medianMs: median(ms), changes };
}

async function network(orgs: OrgSpec[], driver: AutomationDriver, mode: ConvergeMode = "parallel") {
    orgs.forEach(writeStack);
    const t = Date.now();
    const r = await converge(orgs.map((o) => o.stack), orgs[0].stack, driver, {
        mode,
        onEvent: (e) => e.action === "up" && progress(`${mode}: ${e.stack} updated in round ${e.round} (${Math.round((Date.now() - t) / 1000)} s)`),
    });
    return { mode, updates: r.updates, rounds: r.rounds, converged: r.converged, seconds: Math.round((Date.now() - t) / 100) / 10 };
}

/** What a converged organization holds, independent of its name and keys: partners merged, peers listed, preview changes. */
async function finalState(orgs: OrgSpec[], driver: AutomationDriver) {
    const state = [];
    for (const o of orgs) {
        const out = await (await driver.stack(o.stack)).outputs();
        const doc = out.externalNodes.value as { nodes: unknown[] };
        const partners = (out.partners.value as { nodes: number }[]).map((p) => p.nodes);
        const peers = JSON.parse(execFileSync("kubectl", ["--kubeconfig", kubeconfigOf(o.cluster), "-n", o.org, "get", "configmap", "qstack-static-nodes", "-o", "jsonpath={.data.static-nodes\\.json}"], { encoding: "utf8" })) as string[];
        state.push({ ownNodes: doc.nodes.length, partners: partners.length, partnerNodes: partners.reduce((a, b) => a + b, 0), staticNodes: peers.length, previewChanges: await driver.preview(o.stack) });
    }
    return state;
}

/** Six one-node organizations, half in each cluster, each listing all others; fresh stacks per mode. */
export async function sixOrganizations(driver: AutomationDriver) {
    const runs = [];
    for (const mode of ["parallel", "sequential"] as const) {
        const tag = mode === "parallel" ? "p" : "s";
        const stacks = Array.from({ length: 6 }, (_, i) => `six${tag}${i + 1}`);
        const orgs: OrgSpec[] = stacks.map((stack, i) => ({
            stack,
            org: `six-${tag}${i + 1}`,
            cluster: i % 2 === 0 ? "a" : "b",
            nodes: 1,
            tessera: false,
            ...(i > 0 ? { founder: stacks[0] } : {}),
            partners: stacks.filter((x) => x !== stack),
        }));
        progress(`six organizations, ${mode} mode: converging from nothing`);
        const result = await network(orgs, driver, mode);
        runs.push({ ...result, finalState: await finalState(orgs, driver) });
    }
    const [parallel, sequential] = runs;
    const sameFinalState = JSON.stringify(parallel.finalState) === JSON.stringify(sequential.finalState);
    if (!sameFinalState) throw new Error(`six organizations: the modes ended in different states: ${JSON.stringify(runs)}`);
    return { organizations: 6, nodesPerOrg: 1, runs, sameFinalState, speedup: Math.round((sequential.seconds / parallel.seconds) * 10) / 10 };
}

/**
 * Previews of empty stacks run as qstack's program is (compiled JavaScript, `typescript: false`):
 * what any preview costs at least. `bare` exports a constant; `sdk` also loads @pulumi/pulumi,
 * as every program that declares a resource must (its top-level module alone takes about half a
 * second: the Automation API and the closure serializer with the TypeScript compiler).
 */
async function floorPreviews(): Promise<{ bareMs: number; sdkMs: number }> {
    const floors = { bare: "exports.empty = true;\n", sdk: 'require("@pulumi/pulumi");\nexports.empty = true;\n' };
    const result: Record<string, number> = {};
    for (const [kind, program] of Object.entries(floors)) {
        const dir = join(LAB_DIR, `floor-${kind}`);
        mkdirSync(dir, { recursive: true });
        if (!existsSync(join(dir, "node_modules"))) symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
        writeFileSync(join(dir, "Pulumi.yaml"), dump({ name: `qstack-floor-${kind}`, main: "index.js", runtime: { name: "nodejs", options: { typescript: false } } }));
        writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `qstack-floor-${kind}`, main: "index.js" }));
        writeFileSync(join(dir, "index.js"), program);
        const stack = await LocalWorkspace.createOrSelectStack({ stackName: "floor", workDir: dir });
        await stack.up();
        const ms: number[] = [];
        for (let i = 0; i < RUNS; i++) {
            const t = Date.now();
            await stack.preview();
            ms.push(Date.now() - t);
        }
        result[kind] = median(ms);
        progress(`empty-stack preview (${kind}): ${result[kind]} ms`);
    }
    return { bareMs: result.bare, sdkMs: result.sdk };
}

/** Unchanged-preview targets: 2 x 8 nodes within 2x the floor, 2 x 16 within 2.5x. */
const PREVIEW_TARGETS: Record<number, number> = { 8: 2, 16: 2.5 };

export interface PreviewFigure {
    nodesPerOrg: number;
    founderMs: number;
    joinerMs: number;
    /** Changes reported by all previews of both stacks: 0 for an unchanged network. */
    changes: number;
    ratioToBareFloor: number;
    ratioToSdkFloor: number;
    target?: number;
    withinTargetOfBareFloor?: boolean;
    withinTargetOfSdkFloor?: boolean;
}

export async function labBench() {
    enterLab();
    clustersUp();
    prepareProject();
    // The engines' own output, for a failed update's error (a convergence error quotes only its end).
    const pulumiLog = join(LAB_DIR, "bench-pulumi.log");
    writeFileSync(pulumiLog, "");
    const driver = new AutomationDriver(PROJECT_DIR, (stack, line) => appendFileSync(pulumiLog, `[${stack}] ${line}\n`));
    progress(`the engines' output: ${pulumiLog}`);
    const floor = await floorPreviews();
    const previews: PreviewFigure[] = [];
    const convergence: ({ organizations: number; nodesPerOrg: number } & Awaited<ReturnType<typeof network>>)[] = [];
    for (const n of [2, 8, 16]) {
        const a = { stack: `bench${n}a`, org: `b${n}a`, cluster: "a" as const, nodes: n, partners: [`bench${n}b`] };
        const b = { stack: `bench${n}b`, org: `b${n}b`, cluster: "b" as const, nodes: n, founder: a.stack, partners: [a.stack] };
        progress(`2 x ${n} nodes: converging`);
        const conv = await network([a, b], driver);
        if (n === 2) convergence.push({ organizations: 2, nodesPerOrg: n, ...conv });
        progress(`2 x ${n} nodes: ${RUNS} unchanged previews of each stack`);
        const pa = await timedPreviews(driver, a.stack);
        const pb = await timedPreviews(driver, b.stack);
        const slowest = Math.max(pa.medianMs, pb.medianMs);
        const ratio = (floorMs: number) => Math.round((slowest / floorMs) * 100) / 100;
        const target = PREVIEW_TARGETS[n];
        previews.push({
            nodesPerOrg: n,
            founderMs: pa.medianMs,
            joinerMs: pb.medianMs,
            changes: [...pa.changes, ...pb.changes].reduce((x, y) => x + y, 0),
            ratioToBareFloor: ratio(floor.bareMs),
            ratioToSdkFloor: ratio(floor.sdkMs),
            ...(target !== undefined ? { target, withinTargetOfBareFloor: ratio(floor.bareMs) <= target, withinTargetOfSdkFloor: ratio(floor.sdkMs) <= target } : {}),
        });
        progress(`2 x ${n} nodes: founder ${pa.medianMs} ms, joiner ${pb.medianMs} ms (${ratio(floor.bareMs)}x the bare floor, ${ratio(floor.sdkMs)}x the SDK floor)`);
    }
    const three = [
        { stack: "conv3a", org: "c3a", cluster: "a" as const, nodes: 2, partners: ["conv3b", "conv3c"] },
        { stack: "conv3b", org: "c3b", cluster: "b" as const, nodes: 2, founder: "conv3a", partners: ["conv3a", "conv3c"] },
        { stack: "conv3c", org: "c3c", cluster: "a" as const, nodes: 2, founder: "conv3a", partners: ["conv3a", "conv3b"] },
    ];
    progress("3 organizations x 2 nodes: converging from nothing");
    convergence.push({ organizations: 3, nodesPerOrg: 2, ...(await network(three, driver)) });
    const six = await sixOrganizations(driver);
    return { floor, previews, convergence, six };
}
