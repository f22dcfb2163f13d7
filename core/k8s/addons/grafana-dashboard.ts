/**
 * The qstack Grafana dashboard (classic JSON model, schemaVersion 39): per node, block height,
 * how far it lags the highest node, peers, transaction pool, and whether geth's metrics and
 * Tessera answer.
 *
 * geth metric names. geth registers metrics under slash-separated names and its Prometheus
 * endpoint (/debug/metrics/prometheus) replaces every "/" by "_" (go-ethereum
 * metrics/prometheus/collector.go `mutateKey`). The gauges used here are registered as
 * "chain/head/block" (core/blockchain.go `headBlockGauge`), "p2p/peers" (p2p/metrics.go
 * `activePeerGauge`), "txpool/pending" and "txpool/queued" (core/tx_pool.go, later
 * core/txpool/legacypool, `pendingGauge`/`queuedGauge`), the same in GoQuorum's fork; they exist
 * only with `--metrics`, which core/node/geth-args.ts always passes.
 *
 * Every series is selected by its scrape job and grouped by the `node` label that the relabeling
 * of ./prometheus.ts sets from the pod's `app.kubernetes.io/instance`, so a restarted pod (new IP)
 * stays the same line. Panels use the provisioned datasource by uid (./grafana.ts).
 */
import { QstackError } from "../../errors";
import { PROMETHEUS_DATASOURCE_UID } from "./grafana";
import { SCRAPE_JOBS } from "./prometheus";

/** The geth metrics the dashboard reads, as exposed at /debug/metrics/prometheus. */
export const GETH_METRICS = {
    headBlock: "chain_head_block",
    peers: "p2p_peers",
    txPending: "txpool_pending",
    txQueued: "txpool_queued",
} as const;

/** Every metric name a dashboard query may use: geth's, plus Prometheus' own per-target `up`. */
export const DASHBOARD_METRICS: readonly string[] = [...Object.values(GETH_METRICS), "up"];

export const DASHBOARD_SCHEMA_VERSION = 39;

/** Grafana rejects dashboard uids longer than this. */
const MAX_UID = 40;

export function dashboardUid(org: string): string {
    const uid = `qstack-${org}`;
    if (uid.length > MAX_UID) {
        throw new QstackError("INVALID_ARGUMENT", [{ key: "dashboard org", reason: `dashboard uid longer than ${MAX_UID} characters`, value: uid }]);
    }
    return uid;
}

/** Key of the dashboard in the dashboards ConfigMap (the file provider reads *.json). */
export function dashboardFileName(org: string): string {
    return `${dashboardUid(org)}.json`;
}

const DATASOURCE = { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID };

const geth = (metric: string) => `${metric}{job="${SCRAPE_JOBS.geth}"}`;
const perNode = (selector: string) => `max by (node) (${selector})`;

interface Query {
    expr: string;
    legendFormat: string;
}

interface Box {
    x: number;
    y: number;
    w: number;
    h: number;
}

function targets(queries: readonly Query[], instant: boolean): Record<string, unknown>[] {
    return queries.map((q, i) => ({
        refId: String.fromCharCode(65 + i),
        datasource: DATASOURCE,
        expr: q.expr,
        legendFormat: q.legendFormat,
        range: !instant,
        instant,
    }));
}

/** What every panel has: identity, place, data source and queries (instant for stat tiles). */
function panel(type: "timeseries" | "stat", id: number, title: string, description: string, gridPos: Box, queries: readonly Query[]): Record<string, unknown> {
    return { id, type, title, description, gridPos, datasource: DATASOURCE, targets: targets(queries, type === "stat") };
}

function timeseries(id: number, title: string, description: string, gridPos: Box, queries: readonly Query[], unit = "none"): Record<string, unknown> {
    return {
        ...panel("timeseries", id, title, description, gridPos, queries),
        fieldConfig: {
            defaults: {
                unit,
                decimals: 0,
                min: 0,
                color: { mode: "palette-classic" },
                custom: { drawStyle: "line", lineWidth: 1, fillOpacity: 0, showPoints: "never", spanNulls: false },
            },
            overrides: [],
        },
        options: {
            legend: { showLegend: true, displayMode: "list", placement: "bottom", calcs: [] },
            tooltip: { mode: "multi", sort: "desc" },
        },
    };
}

/** A stat tile per series, green UP / red DOWN, from a 0/1 `up` query. */
function health(id: number, title: string, description: string, gridPos: Box, query: Query): Record<string, unknown> {
    return {
        ...panel("stat", id, title, description, gridPos, [query]),
        fieldConfig: {
            defaults: {
                unit: "none",
                color: { mode: "thresholds" },
                thresholds: { mode: "absolute", steps: [{ color: "red", value: null }, { color: "green", value: 1 }] },
                mappings: [
                    {
                        type: "value",
                        options: { "0": { text: "DOWN", color: "red", index: 0 }, "1": { text: "UP", color: "green", index: 1 } },
                    },
                ],
            },
            overrides: [],
        },
        options: {
            reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
            colorMode: "background",
            graphMode: "none",
            textMode: "value_and_name",
            justifyMode: "auto",
            orientation: "auto",
        },
    };
}

function stat(id: number, title: string, description: string, gridPos: Box, query: Query): Record<string, unknown> {
    return {
        ...panel("stat", id, title, description, gridPos, [query]),
        fieldConfig: {
            defaults: { unit: "none", decimals: 0, color: { mode: "fixed", fixedColor: "blue" } },
            overrides: [],
        },
        options: {
            reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
            colorMode: "value",
            graphMode: "area",
            textMode: "value",
            justifyMode: "auto",
            orientation: "auto",
        },
    };
}

/** The dashboard JSON model; the same org always gives the same bytes (no ids or timestamps from the clock). */
export function buildGrafanaDashboard(org: string): Record<string, unknown> {
    const head = geth(GETH_METRICS.headBlock);
    const absent = "A node whose pod does not exist has no scrape target, and so no series here.";
    const panels = [
        stat(1, "Highest block", "The highest chain head among this organization's nodes.", { x: 0, y: 0, w: 6, h: 4 }, {
            expr: `max(${head})`,
            legendFormat: "head",
        }),
        health(2, "geth metrics", `Whether Prometheus could scrape each node's geth metrics endpoint in the last scrape. ${absent}`, { x: 6, y: 0, w: 9, h: 4 }, {
            expr: perNode(`up{job="${SCRAPE_JOBS.geth}"}`),
            legendFormat: "{{node}}",
        }),
        health(
            3,
            "Tessera",
            `Whether each node's Tessera answered GET /metrics on its P2P port (9000) in the last scrape. Nodes without Tessera have no tile. ${absent}`,
            { x: 15, y: 0, w: 9, h: 4 },
            { expr: perNode(`up{job="${SCRAPE_JOBS.tessera}"}`), legendFormat: "{{node}}" },
        ),
        timeseries(4, "Block height", "Chain head per node (geth chain/head/block).", { x: 0, y: 4, w: 12, h: 8 }, [
            { expr: perNode(head), legendFormat: "{{node}}" },
        ]),
        timeseries(5, "Blocks behind the highest node", "0 when a node is in sync with the most advanced node of this organization.", { x: 12, y: 4, w: 12, h: 8 }, [
            { expr: `scalar(max(${head})) - ${perNode(head)}`, legendFormat: "{{node}}" },
        ]),
        timeseries(6, "Peers", "Connected devp2p peers per node (geth p2p/peers).", { x: 0, y: 12, w: 12, h: 8 }, [
            { expr: perNode(geth(GETH_METRICS.peers)), legendFormat: "{{node}}" },
        ]),
        timeseries(7, "Transaction pool", "Executable (pending) and future (queued) transactions per node (geth txpool/pending, txpool/queued).", { x: 12, y: 12, w: 12, h: 8 }, [
            { expr: perNode(geth(GETH_METRICS.txPending)), legendFormat: "{{node}} pending" },
            { expr: perNode(geth(GETH_METRICS.txQueued)), legendFormat: "{{node}} queued" },
        ]),
    ];
    return {
        uid: dashboardUid(org),
        title: `qstack ${org}`,
        description: `GoQuorum and Tessera nodes of organization ${org}`,
        tags: ["qstack", "goquorum", "tessera"],
        schemaVersion: DASHBOARD_SCHEMA_VERSION,
        version: 1,
        editable: false,
        graphTooltip: 1,
        timezone: "browser",
        refresh: "30s",
        time: { from: "now-6h", to: "now" },
        timepicker: {},
        annotations: { list: [] },
        templating: { list: [] },
        links: [],
        panels,
    };
}

/** Data of the dashboards ConfigMap. */
export function buildGrafanaDashboardFiles(org: string): Record<string, string> {
    return { [dashboardFileName(org)]: `${JSON.stringify(buildGrafanaDashboard(org), null, 2)}\n` };
}
