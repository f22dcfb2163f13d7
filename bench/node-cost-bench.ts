/**
 * Steady-state cost of a node on the running real lab (part of `npm run bench` after `npm run
 * lab`): per node pod at idle, the CPU and memory of geth, Tessera and the reconciler, read from
 * each real node's kubelet (Summary API, `/stats/summary` through the API server: the container
 * cgroups' own counters), and the reconciler's CPU per run of its loop.
 *
 * CPU is the growth of each container's cumulative usage over a window, so it is what the
 * container really used then, not a point sample. Memory is the working set, what the kubelet
 * evicts on. The reconciler's `geth attach` also costs geth a little; that shows in geth's figure.
 */
import { execFileSync } from "node:child_process";
import { RECONCILE_IDLE_INTERVAL_SECONDS, RECONCILE_INTERVAL_SECONDS } from "../core/node/reconciler";
import { REAL_CLUSTERS, realKubeconfigOf, type ClusterName } from "../lab/lab-env";

interface ContainerStats {
    readonly name: string;
    readonly cpu?: { readonly usageCoreNanoSeconds?: number };
    readonly memory?: { readonly workingSetBytes?: number; readonly rssBytes?: number };
}
interface PodStats {
    readonly podRef: { readonly name: string; readonly namespace: string };
    readonly containers?: readonly ContainerStats[];
}

export interface ContainerCost {
    readonly cluster: string;
    readonly pod: string;
    readonly container: string;
    /** Average over the window, in millicores. */
    readonly cpuMillicores: number;
    readonly workingSetMiB: number;
}

export interface NodeCostFigure {
    readonly windowSeconds: number;
    readonly containers: readonly ContainerCost[];
    /** Median over node pods, per container name. */
    readonly perContainer: Readonly<Record<string, { readonly cpuMillicores: number; readonly workingSetMiB: number }>>;
    /**
     * The reconciler's median CPU per run of its script (runs counted in its log over the window),
     * the loop's checks between runs included. At idle it runs once per idle interval, so the
     * window should span several of them.
     */
    readonly reconcilerCpuMsPerRun: number;
    readonly reconcilerIntervalSeconds: number;
    readonly reconcilerIdleIntervalSeconds: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (line: string) => process.stderr.write(`[bench] node cost: ${line}\n`);

function summary(cluster: ClusterName): PodStats[] {
    const node = REAL_CLUSTERS[cluster].node;
    const out = execFileSync("kubectl", ["--kubeconfig", realKubeconfigOf(cluster), "get", "--raw", `/api/v1/nodes/${node}/proxy/stats/summary`], { encoding: "utf8", maxBuffer: 64 << 20 });
    const pods = (JSON.parse(out) as { pods?: PodStats[] }).pods ?? [];
    return pods.filter((p) => p.podRef.namespace === REAL_CLUSTERS[cluster].namespace && /-0$/.test(p.podRef.name));
}

export async function nodeCostBench(windowSeconds = 3 * RECONCILE_IDLE_INTERVAL_SECONDS): Promise<NodeCostFigure> {
    const clusters = Object.keys(REAL_CLUSTERS) as ClusterName[];
    const before = new Map(clusters.map((c) => [c, summary(c)]));
    const t0 = Date.now();
    log(`sampling the node pods' containers for ${windowSeconds} s`);
    await new Promise((r) => setTimeout(r, windowSeconds * 1000));
    const elapsed = (Date.now() - t0) / 1000;
    const containers: ContainerCost[] = [];
    const perRun: number[] = [];
    for (const c of clusters) {
        const start = new Map(before.get(c)!.flatMap((p) => (p.containers ?? []).map((x) => [`${p.podRef.name}/${x.name}`, x.cpu?.usageCoreNanoSeconds ?? NaN] as const)));
        for (const p of summary(c)) {
            for (const x of p.containers ?? []) {
                const used = (x.cpu?.usageCoreNanoSeconds ?? NaN) - (start.get(`${p.podRef.name}/${x.name}`) ?? NaN);
                if (!Number.isFinite(used)) continue; // restarted or new during the window
                if (x.name === "reconciler") {
                    const logs = execFileSync("kubectl", ["--kubeconfig", realKubeconfigOf(c), "-n", REAL_CLUSTERS[c].namespace, "logs", p.podRef.name, "-c", "reconciler", `--since=${Math.round(elapsed)}s`], { encoding: "utf8", maxBuffer: 64 << 20 });
                    const runs = logs.split("\n").filter((l) => /^qstack-reconcile (ok|FAILED)/.test(l)).length;
                    if (runs > 0) perRun.push(used / 1e6 / runs);
                }
                containers.push({
                    cluster: c,
                    pod: p.podRef.name,
                    container: x.name,
                    cpuMillicores: Math.round((used / 1e6 / elapsed) * 10) / 10,
                    workingSetMiB: Math.round(((x.memory?.workingSetBytes ?? 0) / 2 ** 20) * 10) / 10,
                });
            }
        }
    }
    if (containers.length === 0) throw new Error("no node pod containers in the kubelets' summaries: is the real lab up (npm run lab)?");
    const perContainer: Record<string, { cpuMillicores: number; workingSetMiB: number }> = {};
    for (const name of [...new Set(containers.map((x) => x.container))].sort()) {
        const mine = containers.filter((x) => x.container === name);
        perContainer[name] = { cpuMillicores: median(mine.map((x) => x.cpuMillicores)), workingSetMiB: median(mine.map((x) => x.workingSetMiB)) };
    }
    const reconcilerCpuMsPerRun = perRun.length > 0 ? Math.round(median(perRun) * 10) / 10 : NaN;
    return { windowSeconds: Math.round(elapsed), containers, perContainer, reconcilerCpuMsPerRun, reconcilerIntervalSeconds: RECONCILE_INTERVAL_SECONDS, reconcilerIdleIntervalSeconds: RECONCILE_IDLE_INTERVAL_SECONDS };
}
