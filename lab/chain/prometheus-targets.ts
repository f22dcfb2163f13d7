/**
 * What an organization's in-namespace Prometheus (the monitoring add-on, core/k8s/addons/prometheus.ts)
 * scrapes on the real lab: its own `/api/v1/targets`, read inside its pod with busybox wget, as
 * an operator would read it through `kubectl port-forward`. Its answer, not the config we wrote,
 * says which node pods are discovered and whether each scrape succeeds.
 */
import { names } from "../../core/k8s/labels";
import { PROMETHEUS_PORT, SCRAPE_JOBS } from "../../core/k8s/addons/prometheus";
import type { ClusterName } from "../lab-env";
import { kubectlIn } from "./real-node-console";

/** One active target, as Prometheus reports it. */
export interface ScrapeTarget {
    readonly job: string;
    /** The qstack node name (the `node` target label). */
    readonly node: string;
    /** "up", "down" or "unknown" (not scraped yet). */
    readonly health: string;
    readonly lastError: string;
    readonly scrapeUrl: string;
}

interface TargetsAnswer {
    readonly status: string;
    readonly data?: { readonly activeTargets?: readonly { labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }[] };
}

/** The active targets of the cluster's Prometheus (throws if it does not answer). */
export function scrapeTargets(cluster: ClusterName): ScrapeTarget[] {
    const raw = kubectlIn(cluster, "exec", `deploy/${names.prometheus}`, "--", "wget", "-q", "-O", "-", `http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/targets?state=active`);
    const answer = JSON.parse(raw) as TargetsAnswer;
    if (answer.status !== "success") throw new Error(`${cluster}: Prometheus /api/v1/targets answered ${raw.slice(0, 200)}`);
    return (answer.data?.activeTargets ?? []).map((t) => ({
        job: t.labels.job,
        node: t.labels.node,
        health: t.health,
        lastError: t.lastError,
        scrapeUrl: t.scrapeUrl,
    }));
}

/** One line per job: "qstack-geth 4/4 up" or "qstack-tessera 3/4 up (b-member1: connection refused)". */
export function describeTargets(targets: readonly ScrapeTarget[]): string[] {
    return Object.values(SCRAPE_JOBS).map((job) => {
        const mine = targets.filter((t) => t.job === job);
        const down = mine.filter((t) => t.health !== "up");
        const why = down.map((t) => `${t.node}: ${t.lastError || t.health}`).join("; ");
        return `${job} ${mine.length - down.length}/${mine.length} up${why ? ` (${why})` : ""}`;
    });
}

/** One series of an instant query's vector result: its labels and its value. */
export interface PromSample {
    readonly labels: Readonly<Record<string, string>>;
    readonly value: number;
}

/** An instant PromQL query against the cluster's Prometheus (`/api/v1/query`), vector results only. */
export function promQuery(cluster: ClusterName, expr: string): PromSample[] {
    const url = `http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/query?query=${encodeURIComponent(expr)}`;
    const raw = kubectlIn(cluster, "exec", `deploy/${names.prometheus}`, "--", "wget", "-q", "-O", "-", url);
    const answer = JSON.parse(raw) as { status: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (answer.status !== "success" || answer.data?.resultType !== "vector") throw new Error(`${cluster}: Prometheus query ${expr} answered ${raw.slice(0, 200)}`);
    return answer.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}
