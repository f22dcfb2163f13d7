import assert from "node:assert/strict";
import { parse } from "yaml";
import { GRAFANA_PROVISIONING_FILES, buildGrafanaProvisioning } from "../../../../core/k8s/addons/grafana";
import {
    DASHBOARD_METRICS,
    GETH_METRICS,
    buildGrafanaDashboard,
    buildGrafanaDashboardFiles,
    dashboardUid,
} from "../../../../core/k8s/addons/grafana-dashboard";
import { buildPrometheusConfig } from "../../../../core/k8s/addons/prometheus";
import { QstackError } from "../../../../core/errors";

const dashboard = buildGrafanaDashboard("org-a") as any;
const panels: any[] = dashboard.panels;
const targets: any[] = panels.flatMap((p) => p.targets);
const exprs: string[] = targets.map((t) => t.expr);
const scrape = JSON.parse(buildPrometheusConfig({ org: "org-a", namespace: "org-a" }));
const jobs: string[] = scrape.scrape_configs.map((j: any) => j.job_name);
/** Labels a scraped series carries: `job` plus every label the relabeling writes (not the `__` internals). */
const seriesLabels = new Set<string>([
    "job",
    ...scrape.scrape_configs.flatMap((j: any) => j.relabel_configs.map((r: any) => r.target_label)).filter((l: string | undefined) => l && !l.startsWith("__")),
]);

const PROMQL_KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless"]);

/** Metric names in a PromQL expression: identifiers outside label matchers and grouping clauses, not called as functions. */
function metricNames(expr: string): string[] {
    const bare = expr.replace(/\{[^}]*\}/g, "").replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "");
    return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\(|[a-zA-Z0-9_:])/g)].map((m) => m[0]).filter((w) => !PROMQL_KEYWORDS.has(w));
}

/** Every `metric{matchers}` selector of an expression, with its equality matchers. */
function selectors(expr: string): { metric: string; matchers: Record<string, string> }[] {
    return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)].map((m) => ({
        metric: m[1],
        matchers: Object.fromEntries([...m[2].matchAll(/(\w+)\s*=\s*"([^"]*)"/g)].map((x) => [x[1], x[2]])),
    }));
}

describe("core/k8s/addons/grafana-dashboard", () => {
    it("reads only geth's documented metric names and Prometheus' up", () => {
        assert.deepEqual(Object.values(GETH_METRICS).sort(), ["chain_head_block", "p2p_peers", "txpool_pending", "txpool_queued"]);
        for (const e of exprs) {
            const names = metricNames(e);
            assert.ok(names.length > 0, `query has a metric: ${e}`);
            for (const n of names) assert.ok(DASHBOARD_METRICS.includes(n), `${n} in ${e}`);
        }
    });
    it("selects every series by a scrape job the Prometheus config defines", () => {
        for (const e of exprs) {
            const sel = selectors(e);
            assert.equal(sel.length, metricNames(e).length, `every metric is a job-qualified selector: ${e}`);
            for (const s of sel) assert.ok(jobs.includes(s.matchers.job), `${s.metric} job=${s.matchers.job}`);
        }
    });
    it("groups and names series only by labels the scrape relabeling produces", () => {
        for (const t of targets) {
            for (const m of t.expr.matchAll(/\bby\s*\(([^)]*)\)/g)) for (const l of m[1].split(",")) assert.ok(seriesLabels.has(l.trim()), `by ${l} in ${t.expr}`);
            for (const m of t.legendFormat.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) assert.ok(seriesLabels.has(m[1]), `legend {{${m[1]}}}`);
        }
        assert.ok(seriesLabels.has("node"));
    });
    it("shows block height, peers, both transaction pool counts, geth scrape health and Tessera health", () => {
        for (const metric of Object.values(GETH_METRICS)) assert.ok(exprs.some((e) => metricNames(e).includes(metric)), metric);
        const upJobs = exprs.flatMap((e) => selectors(e).filter((s) => s.metric === "up").map((s) => s.matchers.job));
        assert.deepEqual(upJobs.sort(), ["qstack-geth", "qstack-tessera"]);
        const tessera = panels.find((p) => p.targets.some((t: any) => t.expr.includes('up{job="qstack-tessera"}')));
        assert.equal(tessera.type, "stat");
        assert.deepEqual(Object.values(tessera.fieldConfig.defaults.mappings[0].options).map((o: any) => o.text), ["DOWN", "UP"]);
    });
    it("queries the provisioned datasource by its uid in every panel and every query", () => {
        const [ds] = parse(buildGrafanaProvisioning("http://qstack-prometheus:9090")[GRAFANA_PROVISIONING_FILES.datasources]).datasources;
        for (const p of panels) assert.deepEqual(p.datasource, { type: ds.type, uid: ds.uid }, p.title);
        for (const t of targets) assert.deepEqual(t.datasource, { type: ds.type, uid: ds.uid });
    });
    it("has a fixed per-org uid within Grafana's 40 characters, and refuses one that would not fit", () => {
        assert.equal(dashboard.uid, "qstack-org-a");
        assert.ok(dashboardUid("o".repeat(30)).length <= 40);
        assert.throws(() => dashboardUid("o".repeat(40)), QstackError);
    });
    it("lays panels out on the 24-column grid without overlap, with unique ids and refIds", () => {
        assert.equal(new Set(panels.map((p) => p.id)).size, panels.length);
        for (const p of panels) {
            const { x, y, w, h } = p.gridPos;
            assert.ok(x >= 0 && w > 0 && h > 0 && y >= 0 && x + w <= 24, p.title);
            assert.equal(new Set(p.targets.map((t: any) => t.refId)).size, p.targets.length, p.title);
        }
        for (const a of panels) {
            for (const b of panels) {
                if (a === b) continue;
                const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
                assert.ok(!overlap, `${a.title} / ${b.title}`);
            }
        }
    });
    it("is a classic schema-39 dashboard of timeseries and stat panels", () => {
        assert.equal(dashboard.schemaVersion, 39);
        for (const p of panels) assert.ok(["timeseries", "stat"].includes(p.type), p.type);
    });
    it("is the same bytes for the same org, in the ConfigMap file the provider reads", () => {
        const files = buildGrafanaDashboardFiles("org-a");
        assert.deepEqual(Object.keys(files), ["qstack-org-a.json"]);
        assert.deepEqual(JSON.parse(files["qstack-org-a.json"]), dashboard);
        assert.deepEqual(buildGrafanaDashboardFiles("org-a"), files);
        assert.notDeepEqual(buildGrafanaDashboardFiles("org-b"), files);
    });
});
