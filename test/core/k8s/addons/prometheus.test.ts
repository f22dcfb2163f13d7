import assert from "node:assert/strict";
import { DEFAULTS } from "../../../../core/config/schema";
import { imageTag } from "../../../../core/k8s/labels";
import { parse } from "yaml";
import { resolveConfig } from "../../../../core/config/resolve-config";
import type { NetworkConfig } from "../../../../core/config/schema";
import { buildNodeStatefulSetSpec } from "../../../../core/k8s/nodes/node-pod";
import { buildGrafanaDeploymentSpec } from "../../../../core/k8s/addons/grafana";
import { QstackError } from "../../../../core/errors";
import { CONFIG_CHECKSUM_ANNOTATION, configChecksum } from "../../../../core/k8s/config-checksum";
import {
    PROMETHEUS_CONFIG_FILE,
    PROMETHEUS_PORT,
    SCRAPE_JOBS,
    TARGET_LABELS,
    buildPrometheusConfig,
    buildPrometheusDeploymentSpec,
    buildPrometheusRoleRules,
    buildPrometheusServiceSpec,
} from "../../../../core/k8s/addons/prometheus";

type Labels = Record<string, string>;

/** A pod as the Kubernetes API would list it to Prometheus' pod discovery. */
interface ListedPod {
    name: string;
    namespace: string;
    ip: string;
    phase: string;
    labels: Labels;
    annotations: Labels;
    spec: any;
}

/** Prometheus' label-name sanitizing of Kubernetes label and annotation names. */
const sanitize = (s: string) => s.replace(/[^a-zA-Z0-9_]/g, "_");

/**
 * Pod discovery (prometheus/prometheus discovery/kubernetes/pod.go): one target per declared
 * container port, init containers included, one port-less target per container without ports.
 * Honours `namespaces.names` and equality label `selectors` unless `ignoreSelectors`.
 */
function discover(sd: any, pods: ListedPod[], ignoreSelectors = false): Labels[] {
    assert.equal(sd.role, "pod");
    const selector: Labels = {};
    for (const s of sd.selectors ?? []) {
        assert.equal(s.role, "pod");
        for (const term of String(s.label).split(",")) {
            const [k, v] = term.split("=");
            selector[k] = v;
        }
    }
    const out: Labels[] = [];
    for (const pod of pods) {
        if (!sd.namespaces.names.includes(pod.namespace)) continue;
        if (!ignoreSelectors && Object.entries(selector).some(([k, v]) => pod.labels[k] !== v)) continue;
        const common: Labels = {
            __meta_kubernetes_namespace: pod.namespace,
            __meta_kubernetes_pod_name: pod.name,
            __meta_kubernetes_pod_ip: pod.ip,
            __meta_kubernetes_pod_phase: pod.phase,
        };
        for (const [k, v] of Object.entries(pod.labels)) common[`__meta_kubernetes_pod_label_${sanitize(k)}`] = v;
        for (const [k, v] of Object.entries(pod.annotations)) common[`__meta_kubernetes_pod_annotation_${sanitize(k)}`] = v;
        const containers = [...pod.spec.containers.map((c: any) => [c, false]), ...(pod.spec.initContainers ?? []).map((c: any) => [c, true])];
        for (const [c, init] of containers) {
            const base = { ...common, __meta_kubernetes_pod_container_name: c.name, __meta_kubernetes_pod_container_init: String(init) };
            if (!c.ports?.length) out.push({ ...base, __address__: pod.ip });
            for (const p of c.ports ?? []) {
                out.push({
                    ...base,
                    __address__: `${pod.ip}:${p.containerPort}`,
                    __meta_kubernetes_pod_container_port_name: p.name ?? "",
                    __meta_kubernetes_pod_container_port_number: String(p.containerPort),
                });
            }
        }
    }
    return out;
}

/** Prometheus relabeling (model/relabel/relabel.go) for the actions the config uses. */
function relabel(input: Labels, rules: any[]): Labels | undefined {
    const labels = { ...input };
    for (const r of rules) {
        const value = (r.source_labels ?? []).map((l: string) => labels[l] ?? "").join(r.separator ?? ";");
        const re = new RegExp(`^(?:${r.regex ?? "(.*)"})$`);
        switch (r.action ?? "replace") {
            case "keep":
                if (!re.test(value)) return undefined;
                break;
            case "drop":
                if (re.test(value)) return undefined;
                break;
            case "keepequal":
                if ((labels[r.target_label] ?? "") !== value) return undefined;
                break;
            case "replace": {
                const m = re.exec(value);
                if (!m) break;
                const result = String(r.replacement ?? "$1").replace(/\$\{(\w+)\}|\$(\d+)/g, (_s, a, b) => m[Number(a ?? b)] ?? "");
                if (result === "") delete labels[r.target_label];
                else labels[r.target_label] = result;
                break;
            }
            default:
                assert.fail(`unexpected relabel action ${r.action}`);
        }
    }
    return labels;
}

/** What Prometheus would scrape for one job: URL plus the target's visible labels. */
function scrapeTargets(job: any, pods: ListedPod[], ignoreSelectors = false): { url: string; labels: Labels }[] {
    const discovered = job.kubernetes_sd_configs.flatMap((sd: any) => discover(sd, pods, ignoreSelectors));
    const out: { url: string; labels: Labels }[] = [];
    for (const d of discovered) {
        const l = relabel({ ...d, job: job.job_name, __metrics_path__: job.metrics_path, __scheme__: "http" }, job.relabel_configs);
        if (!l) continue;
        const visible = Object.fromEntries(Object.entries(l).filter(([k]) => !k.startsWith("__")));
        visible.instance ??= l.__address__;
        out.push({ url: `${l.__scheme__}://${l.__address__}${l.__metrics_path__}`, labels: visible });
    }
    return out.sort((a, b) => (a.url < b.url ? -1 : 1));
}

let nextIp = 1;
function nodePod(config: NetworkConfig, nodeName: string, namespace: string, phase = "Running"): ListedPod {
    const node = config.nodes.find((n) => n.name === nodeName)!;
    const sts = buildNodeStatefulSetSpec(config, node, `${nodeName}-keys-0123abcd`) as any;
    return {
        name: `${nodeName}-0`,
        namespace,
        ip: `10.0.0.${nextIp++}`,
        phase,
        labels: sts.template.metadata.labels,
        annotations: sts.template.metadata.annotations,
        spec: sts.template.spec,
    };
}
function deploymentPod(name: string, namespace: string, spec: any): ListedPod {
    return { name, namespace, ip: `10.0.0.${nextIp++}`, phase: "Running", labels: spec.template.metadata.labels, annotations: spec.template.metadata.annotations ?? {}, spec: spec.template.spec };
}

const orgA = resolveConfig({ org: "org-a", nodes: [{ name: "v1" }, { name: "m1", role: "member", tessera: false }] });
const orgB = resolveConfig({ org: "org-b", nodes: [{ name: "b1" }] });
const args = { org: "org-a", namespace: "org-a", image: DEFAULTS.prometheusImage, serviceAccountName: "qstack-prometheus", configMapName: "qstack-prometheus-config" };
const configText = buildPrometheusConfig({ org: "org-a", namespace: "org-a" });
const config = parse(configText);
const job = (name: string) => config.scrape_configs.find((j: any) => j.job_name === name);
const checksum = configChecksum(configText);
const deployment = buildPrometheusDeploymentSpec(args, checksum) as any;
const pod = deployment.template.spec;
const container = pod.containers[0];

const v1 = nodePod(orgA, "v1", "org-a");
const m1 = nodePod(orgA, "m1", "org-a");
const pods: ListedPod[] = [
    v1,
    m1,
    // Another organization's node sharing the namespace, and this organization's node elsewhere.
    nodePod(orgB, "b1", "org-a"),
    nodePod(orgA, "v1", "other-namespace"),
    // A finished predecessor still listed by the API.
    { ...nodePod(orgA, "v1", "org-a", "Failed"), name: "v1-0-evicted" },
    // The add-on's own pods carry qstack.io/org too.
    deploymentPod("qstack-prometheus-abc", "org-a", deployment),
    deploymentPod(
        "qstack-grafana-abc",
        "org-a",
        buildGrafanaDeploymentSpec(
            { org: "org-a", image: "grafana/grafana:12.4.5", prometheusUrl: "http://qstack-prometheus:9090", adminSecretName: "s", provisioningConfigMapName: "p", dashboardsConfigMapName: "d" },
            "0",
        ),
    ),
];

describe("core/k8s/addons/prometheus", () => {
    describe("scrape config", () => {
        it("is valid YAML that discovers pods only in the stack's namespace", () => {
            assert.deepEqual(config, JSON.parse(configText));
            for (const j of config.scrape_configs) {
                assert.equal(j.kubernetes_sd_configs.length, 1);
                assert.equal(j.kubernetes_sd_configs[0].role, "pod");
                assert.deepEqual(j.kubernetes_sd_configs[0].namespaces, { names: ["org-a"] });
            }
            assert.deepEqual(config.scrape_configs.map((j: any) => j.job_name), [SCRAPE_JOBS.geth, SCRAPE_JOBS.tessera]);
        });
        it("scrapes geth of exactly this org's node pods, on the annotated metrics port and path", () => {
            const targets = scrapeTargets(job(SCRAPE_JOBS.geth), pods);
            assert.deepEqual(
                targets.map((t) => t.url),
                [`http://${v1.ip}:9545/debug/metrics/prometheus`, `http://${m1.ip}:9545/debug/metrics/prometheus`].sort(),
            );
            assert.equal(v1.annotations["prometheus.io/port"], "9545");
            assert.equal(v1.annotations["prometheus.io/path"], "/debug/metrics/prometheus");
        });
        it("follows the pods' annotations rather than a hard-coded port or path", () => {
            const moved = { ...v1, annotations: { ...v1.annotations, "prometheus.io/path": "/metrics2" } };
            assert.deepEqual(scrapeTargets(job(SCRAPE_JOBS.geth), [moved]).map((t) => t.url), [`http://${v1.ip}:9545/metrics2`]);
            const off = { ...v1, annotations: { ...v1.annotations, "prometheus.io/scrape": "false" } };
            assert.deepEqual(scrapeTargets(job(SCRAPE_JOBS.geth), [off]), []);
        });
        it("keeps other orgs' pods, the add-on pods and finished pods out by relabeling alone, should the API return the whole namespace", () => {
            const urls = (name: string) => scrapeTargets(job(name), pods, true).map((t) => t.url);
            assert.deepEqual(urls(SCRAPE_JOBS.geth), scrapeTargets(job(SCRAPE_JOBS.geth), pods).map((t) => t.url));
            assert.deepEqual(urls(SCRAPE_JOBS.tessera), scrapeTargets(job(SCRAPE_JOBS.tessera), pods).map((t) => t.url));
            assert.equal(urls(SCRAPE_JOBS.geth).length, 2);
        });
        it("scrapes Tessera's /metrics on the P2P port of the nodes that run Tessera, though it is an init (sidecar) container", () => {
            const targets = scrapeTargets(job(SCRAPE_JOBS.tessera), pods);
            assert.deepEqual(targets.map((t) => t.url), [`http://${v1.ip}:9000/metrics`]);
            assert.ok(v1.spec.initContainers.some((c: any) => c.name === "tessera" && c.ports.some((p: any) => p.containerPort === 9000)));
        });
        it("labels every series with the node name, pod, namespace, org and role; instance is the node, not the pod IP", () => {
            const [t] = scrapeTargets(job(SCRAPE_JOBS.tessera), pods);
            assert.deepEqual(t.labels, { job: SCRAPE_JOBS.tessera, instance: "v1", node: "v1", pod: "v1-0", namespace: "org-a", org: "org-a", role: "validator" });
            const m = scrapeTargets(job(SCRAPE_JOBS.geth), [m1])[0];
            assert.equal(m.labels.role, "member");
            assert.deepEqual(Object.keys(m.labels).filter((k) => k !== "job").sort(), [...TARGET_LABELS].sort());
        });
        it("treats the org name as a literal, not a pattern", () => {
            const dotted = parse(buildPrometheusConfig({ org: "org.a", namespace: "org-a" }));
            const keep = dotted.scrape_configs[0].relabel_configs.find((r: any) => r.source_labels[0] === "__meta_kubernetes_pod_label_qstack_io_org" && r.action === "keep");
            assert.equal(relabel({ __meta_kubernetes_pod_label_qstack_io_org: "orgxa" }, [keep]), undefined);
            assert.ok(relabel({ __meta_kubernetes_pod_label_qstack_io_org: "org.a" }, [keep]));
        });
        it("is byte-identical for the same org and namespace, and differs otherwise", () => {
            assert.equal(buildPrometheusConfig({ org: "org-a", namespace: "org-a" }), configText);
            assert.notEqual(configChecksum(buildPrometheusConfig({ org: "org-b", namespace: "org-a" })), checksum);
            assert.notEqual(configChecksum(buildPrometheusConfig({ org: "org-a", namespace: "ns2" })), checksum);
        });
    });

    describe("Role", () => {
        const rules = buildPrometheusRoleRules() as any[];
        it("is read-only: get, list and watch only", () => {
            for (const r of rules) for (const v of r.verbs) assert.ok(["get", "list", "watch"].includes(v), v);
        });
        it("reaches only namespaced discovery objects, never Secrets, ConfigMaps, cluster-scoped objects or wildcards", () => {
            const namespaced = new Set(["/pods", "/services", "/endpoints", "discovery.k8s.io/endpointslices"]);
            for (const r of rules) {
                assert.equal(r.nonResourceURLs, undefined);
                assert.equal(r.resourceNames, undefined);
                for (const g of r.apiGroups) for (const res of r.resources) assert.ok(namespaced.has(`${g}/${res}`), `${g}/${res}`);
            }
        });
        it("lets pod discovery list and watch pods", () => {
            assert.ok(rules.some((r) => r.apiGroups.includes("") && r.resources.includes("pods") && r.verbs.includes("list") && r.verbs.includes("watch")));
        });
    });

    describe("Deployment", () => {
        it("rolls the pod when prometheus.yml changes: its checksum is a pod template annotation", () => {
            assert.equal(deployment.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION], checksum);
            assert.match(checksum, /^[0-9a-f]{64}$/);
        });
        it("selects its pods with a stable subset of their labels, none of which is the goquorum name", () => {
            const labels = deployment.template.metadata.labels;
            assert.deepEqual(Object.keys(deployment.selector.matchLabels).sort(), ["app.kubernetes.io/instance", "app.kubernetes.io/name"]);
            for (const [k, v] of Object.entries(deployment.selector.matchLabels)) assert.equal(labels[k], v, k);
            assert.equal(labels["app.kubernetes.io/name"], "prometheus");
            assert.equal(labels["app.kubernetes.io/version"], "v3.13.2");
            assert.equal(labels["qstack.io/org"], "org-a");
        });
        it("runs as nobody with a read-only root filesystem and no capabilities", () => {
            assert.equal(pod.securityContext.runAsNonRoot, true);
            assert.equal(pod.securityContext.runAsUser, 65534);
            assert.deepEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
            assert.equal(pod.containers.length, 1);
            assert.equal(pod.initContainers, undefined);
            assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
        });
        it("mounts its own ServiceAccount's token, which kubernetes_sd needs", () => {
            assert.equal(pod.serviceAccountName, "qstack-prometheus");
            assert.equal(pod.automountServiceAccountToken, true);
        });
        it("writes only its TSDB, to an emptyDir, and reads prometheus.yml from the ConfigMap", () => {
            const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
            const writable = container.volumeMounts.filter((m: any) => !m.readOnly);
            assert.deepEqual(writable.map((m: any) => m.mountPath), ["/prometheus"]);
            assert.ok(volumes[writable[0].name].emptyDir);
            const config = container.volumeMounts.find((m: any) => volumes[m.name].configMap);
            assert.equal(volumes[config.name].configMap.name, "qstack-prometheus-config");
            assert.equal(config.subPath, undefined);
            assert.ok(container.args.includes(`--config.file=${config.mountPath}/${PROMETHEUS_CONFIG_FILE}`));
            assert.ok(container.args.includes("--storage.tsdb.path=/prometheus"));
        });
        it("keeps 7 days by default, the given retention otherwise, and rejects a malformed one", () => {
            assert.ok(container.args.includes("--storage.tsdb.retention.time=7d"));
            const custom = buildPrometheusDeploymentSpec({ ...args, retention: "36h" }, checksum) as any;
            assert.ok(custom.template.spec.containers[0].args.includes("--storage.tsdb.retention.time=36h"));
            assert.throws(() => buildPrometheusDeploymentSpec({ ...args, retention: "7 days" }, checksum), QstackError);
        });
        it("enables neither the admin API nor the lifecycle API", () => {
            assert.ok(!container.args.some((a: string) => /admin-api|enable-lifecycle/.test(a)));
        });
        it("sets requests and limits and probes readiness and liveness over HTTP", () => {
            assert.ok(container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory);
            assert.equal(container.readinessProbe.httpGet.path, "/-/ready");
            assert.equal(container.livenessProbe.httpGet.path, "/-/healthy");
            assert.deepEqual(container.ports, [{ name: "http", containerPort: PROMETHEUS_PORT }]);
        });
        it("labels a digest-pinned or untagged image's version 'unknown' rather than producing an invalid label", () => {
            assert.equal(imageTag("prom/prometheus@sha256:0123"), "unknown");
            assert.equal(imageTag("registry:5000/prom/prometheus"), "unknown");
            assert.equal(imageTag("registry:5000/prom/prometheus:v3.13.2@sha256:0123"), "v3.13.2");
        });
        it("pins an image tag, never latest", () => {
            assert.match(DEFAULTS.prometheusImage, /^prom\/prometheus:v\d+\.\d+\.\d+$/);
        });
    });

    describe("Service", () => {
        it("is ClusterIP only and selects the Prometheus pod", () => {
            const svc = buildPrometheusServiceSpec("org-a") as any;
            assert.equal(svc.type, "ClusterIP");
            for (const p of svc.ports) assert.equal(p.nodePort, undefined);
            assert.deepEqual(svc.ports.map((p: any) => p.port), [PROMETHEUS_PORT]);
            for (const [k, v] of Object.entries(svc.selector)) assert.equal(deployment.template.metadata.labels[k], v, k);
        });
    });
});
