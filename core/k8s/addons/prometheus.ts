/**
 * The optional in-namespace Prometheus of the monitoring add-on: one pod that discovers the
 * organization's node pods through the Kubernetes API and scrapes geth's and Tessera's metrics.
 *
 * Discovery is `kubernetes_sd_configs` role `pod`, limited to the stack's namespace, so the pod
 * needs only a namespaced, read-only Role (see {@link buildPrometheusRoleRules}), never a
 * ClusterRole. Targets are then narrowed by relabeling to pods labelled `qstack.io/org=<org>` and
 * `app.kubernetes.io/name=goquorum`; the add-on pods carry the org label too but another
 * `app.kubernetes.io/name`, so Prometheus never scrapes itself or Grafana.
 *
 * Two jobs:
 * - `qstack-geth`: the port and path the node pods announce in their `prometheus.io/port` and
 *   `prometheus.io/path` annotations (core/k8s/nodes/node-pod.ts), i.e. geth's standalone metrics
 *   server. geth answers `Content-Type: text/plain`, which Prometheus 3 parses as the classic
 *   text format (go-ethereum metrics/prometheus/prometheus.go; prometheus/prometheus
 *   model/textparse/interface.go `New`), so no `fallback_scrape_protocol` is needed.
 * - `qstack-tessera`: Tessera's `GET /metrics` on its P2P port; `up{job="qstack-tessera"}` is then
 *   the Tessera health signal of the dashboard. Tessera registers `MetricsResource`
 *   (`@Path("/metrics")`, `@Produces("text/plain")`, rendered by `PrometheusProtocolFormatter`)
 *   on every REST server it starts (ConsenSys/tessera server/jersey-server/.../JerseyServer.java
 *   `config.register(MetricsResource.class)`), P2P and ThirdParty alike, each returning the
 *   metrics of all servers (ConsenSys/tessera#1418). The missing final newline that made strict
 *   parsers reject it was fixed in ConsenSys/tessera#1320 (2021), long before the 24.x images
 *   qstack runs. The P2P port is the one the pod's startup/readiness/liveness probes check and
 *   partners depend on, so a P2P server that stops answering shows as down. `/upcheck` cannot be
 *   scraped instead: it returns the plain text "I'm up!", which is not the exposition format.
 */
import type * as k8s from "@pulumi/kubernetes";
import { QstackError } from "../../errors";
import { PORTS } from "../../node/layout";
import { buildAddonDeploymentSpec, buildAddonServiceSpec } from "./addon-workload";
import { CONTAINER_SECURITY } from "../container-security";
import { imageTag } from "../labels";
import { METRICS_PATH } from "./service-monitor";

/** Add-on name: the `app.kubernetes.io/name` of Prometheus' objects. */
export const PROMETHEUS_ADDON = "prometheus";

export const PROMETHEUS_PORT = 9090;

/** Key of prometheus.yml in the ConfigMap. */
export const PROMETHEUS_CONFIG_FILE = "prometheus.yml";

/** The prom/prometheus image's `USER nobody`. */
export const PROMETHEUS_UID = 65534;

export const PROMETHEUS_PATHS = {
    /** ConfigMap mount (a directory, so kubelet keeps it current). */
    configDir: "/etc/prometheus",
    /** TSDB: the image's `VOLUME`, an emptyDir here. */
    dataDir: "/prometheus",
} as const;

/** Scrape job names; the dashboard queries select on them. */
export const SCRAPE_JOBS = { geth: "qstack-geth", tessera: "qstack-tessera" } as const;

/**
 * Target labels the relabeling adds to every series, besides `job`: `node` (the qstack node name,
 * stable across pod restarts, unlike the pod IP), `pod`, `namespace`, `org` and `role`
 * (validator or member). `instance` is the node name too, so `up` keeps one series per node.
 */
export const TARGET_LABELS = ["instance", "node", "pod", "namespace", "org", "role"] as const;

export const SCRAPE_INTERVAL = "15s";

export const PROMETHEUS_RESOURCES = {
    requests: { cpu: "100m", memory: "256Mi" },
    limits: { memory: "1Gi" },
} as const;

/** Retention by size as well as by time, kept below the data emptyDir's limit so that compaction never gets the pod evicted. */
export const PROMETHEUS_RETENTION_SIZE = "3GB";
export const PROMETHEUS_DATA_SIZE_LIMIT = "4Gi";

export interface PrometheusSpecArgs {
    org: string;
    namespace: string;
    image: string;
    serviceAccountName: string;
    configMapName: string;
    /** `--storage.tsdb.retention.time`. @default "7d" */
    retention?: string;
    /** `app.kubernetes.io/version`. @default - the image tag, or "unknown" if that is not a valid label value */
    version?: string;
}

/** Prometheus' duration syntax (units largest first, each at most once; checked loosely). */
const DURATION = /^(\d+(y|w|d|h|m|s|ms))+$/;

/** RE2 literal: Prometheus anchors and interprets relabel regexes, and an org name must match only itself. */
function literal(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The relabeling both jobs share: this org's goquorum pods in this namespace, and readable target labels. */
function nodePodRelabeling(org: string, namespace: string): Record<string, unknown>[] {
    return [
        { source_labels: ["__meta_kubernetes_namespace"], regex: literal(namespace), action: "keep" },
        { source_labels: ["__meta_kubernetes_pod_label_qstack_io_org"], regex: literal(org), action: "keep" },
        { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], regex: "goquorum", action: "keep" },
        // A finished pod keeps its IP in the API for a while; scraping it would report a live node as down.
        { source_labels: ["__meta_kubernetes_pod_phase"], regex: "Succeeded|Failed", action: "drop" },
        { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_instance"], target_label: "instance" },
        { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_instance"], target_label: "node" },
        { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
        { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
        { source_labels: ["__meta_kubernetes_pod_label_qstack_io_org"], target_label: "org" },
        { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_component"], target_label: "role" },
    ];
}

function podDiscovery(org: string, namespace: string): Record<string, unknown>[] {
    return [
        {
            role: "pod",
            namespaces: { names: [namespace] },
            // Server-side filter: Prometheus watches only this org's node pods, not every pod of the namespace.
            selectors: [{ role: "pod", label: `qstack.io/org=${org},app.kubernetes.io/name=goquorum` }],
        },
    ];
}

/**
 * prometheus.yml, as JSON (a YAML subset), so that the bytes, and so the checksum, depend only
 * on the arguments.
 */
export function buildPrometheusConfig(args: { org: string; namespace: string }): string {
    const { org, namespace } = args;
    const config = {
        global: { scrape_interval: SCRAPE_INTERVAL, scrape_timeout: "10s", evaluation_interval: SCRAPE_INTERVAL },
        scrape_configs: [
            {
                job_name: SCRAPE_JOBS.geth,
                metrics_path: METRICS_PATH,
                kubernetes_sd_configs: podDiscovery(org, namespace),
                relabel_configs: [
                    { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], regex: "true", action: "keep" },
                    // Pod discovery yields one target per declared container port: keep only the annotated one.
                    {
                        source_labels: ["__meta_kubernetes_pod_container_port_number"],
                        target_label: "__meta_kubernetes_pod_annotation_prometheus_io_port",
                        action: "keepequal",
                    },
                    { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_path"], regex: "(.+)", target_label: "__metrics_path__" },
                    ...nodePodRelabeling(org, namespace),
                ],
            },
            {
                job_name: SCRAPE_JOBS.tessera,
                metrics_path: "/metrics",
                kubernetes_sd_configs: podDiscovery(org, namespace),
                relabel_configs: [
                    // Tessera is a native sidecar (an init container); pod discovery lists init containers' ports too.
                    { source_labels: ["__meta_kubernetes_pod_container_port_number"], regex: String(PORTS.tesseraP2p), action: "keep" },
                    ...nodePodRelabeling(org, namespace),
                ],
            },
        ],
    };
    return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Rules of the namespaced Role bound to Prometheus' ServiceAccount: read-only discovery of the
 * objects kubernetes_sd watches, and nothing else (no Secrets, no ConfigMaps, nothing
 * cluster-scoped). Pod discovery needs only pods; services, endpoints and endpointslices let an
 * operator add service/endpoints jobs without touching RBAC.
 */
export function buildPrometheusRoleRules(): k8s.types.input.rbac.v1.PolicyRule[] {
    const verbs = ["get", "list", "watch"];
    return [
        { apiGroups: [""], resources: ["pods", "services", "endpoints"], verbs },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs },
    ];
}

/** Prometheus' argv (after the image's `/bin/prometheus` entrypoint). No `--web.enable-admin-api`, no `--web.enable-lifecycle`. */
export function buildPrometheusArgs(retention: string): string[] {
    return [
        `--config.file=${PROMETHEUS_PATHS.configDir}/${PROMETHEUS_CONFIG_FILE}`,
        `--storage.tsdb.path=${PROMETHEUS_PATHS.dataDir}`,
        `--storage.tsdb.retention.time=${retention}`,
        `--storage.tsdb.retention.size=${PROMETHEUS_RETENTION_SIZE}`,
        `--web.listen-address=:${PROMETHEUS_PORT}`,
    ];
}

/**
 * Deployment spec; `configChecksum` is `configChecksum(buildPrometheusConfig(...))`
 * (./config-checksum.ts). The TSDB is an emptyDir: the add-on is a window on the last days of the
 * network, not an archive, and an emptyDir needs no StorageClass. A new pod (after a config
 * change, which the checksum annotation turns into a rollout) starts with empty history.
 */
export function buildPrometheusDeploymentSpec(args: PrometheusSpecArgs, configChecksum: string): k8s.types.input.apps.v1.DeploymentSpec {
    const retention = args.retention ?? "7d";
    if (!DURATION.test(retention)) {
        throw new QstackError("INVALID_ARGUMENT", [
            { key: "prometheus retention", reason: "not a Prometheus duration", value: retention, allowed: "e.g. 7d, 36h, 2w" },
        ]);
    }
    const version = args.version ?? imageTag(args.image);
    const probe = (path: string) => ({ httpGet: { path, port: "http" } });
    return buildAddonDeploymentSpec({
        org: args.org,
        addon: PROMETHEUS_ADDON,
        version,
        // Prometheus reads prometheus.yml only at startup (no lifecycle API): a new config needs a new pod.
        configChecksum,
        uid: PROMETHEUS_UID,
        terminationGracePeriodSeconds: 60,
        // kubernetes_sd authenticates with this token; it is the only add-on pod that gets one.
        serviceAccountName: args.serviceAccountName,
        containers: [
            {
                name: PROMETHEUS_ADDON,
                image: args.image,
                imagePullPolicy: "IfNotPresent",
                args: buildPrometheusArgs(retention),
                ports: [{ name: "http", containerPort: PROMETHEUS_PORT }],
                // WAL replay after a restart can take a while; readiness is false until it is done.
                startupProbe: { ...probe("/-/ready"), periodSeconds: 5, failureThreshold: 60 },
                readinessProbe: { ...probe("/-/ready"), periodSeconds: 10, failureThreshold: 3 },
                livenessProbe: { ...probe("/-/healthy"), periodSeconds: 20, failureThreshold: 3 },
                resources: {
                    requests: { ...PROMETHEUS_RESOURCES.requests },
                    limits: { ...PROMETHEUS_RESOURCES.limits },
                },
                securityContext: CONTAINER_SECURITY,
                volumeMounts: [
                    { name: "config", mountPath: PROMETHEUS_PATHS.configDir, readOnly: true },
                    { name: "data", mountPath: PROMETHEUS_PATHS.dataDir },
                ],
            },
        ],
        volumes: [
            { name: "config", configMap: { name: args.configMapName } },
            { name: "data", emptyDir: { sizeLimit: PROMETHEUS_DATA_SIZE_LIMIT } },
        ],
    });
}

/** ClusterIP only: the Prometheus UI and API have no authentication; reach them with `kubectl port-forward`. */
export function buildPrometheusServiceSpec(org: string): k8s.types.input.core.v1.ServiceSpec {
    return buildAddonServiceSpec(org, PROMETHEUS_ADDON, PROMETHEUS_PORT);
}
