import assert from "node:assert/strict";
import { DEFAULTS } from "../../../../core/config/schema";
import { configMapsChecksum } from "../../../../core/k8s/config-checksum";
import { parse } from "yaml";
import { QstackError } from "../../../../core/errors";
import { CONFIG_CHECKSUM_ANNOTATION } from "../../../../core/k8s/config-checksum";
import {
    GRAFANA_PORT,
    GRAFANA_PROVISIONING_FILES,
    PROMETHEUS_DATASOURCE_UID,
    buildGrafanaDeploymentSpec,
    buildGrafanaProvisioning,
    buildGrafanaServiceSpec,
} from "../../../../core/k8s/addons/grafana";
import { buildGrafanaDashboardFiles } from "../../../../core/k8s/addons/grafana-dashboard";
import { PROMETHEUS_PORT } from "../../../../core/k8s/addons/prometheus";

const url = `http://qstack-prometheus:${PROMETHEUS_PORT}`;
const provisioning = buildGrafanaProvisioning(url);
const dashboards = buildGrafanaDashboardFiles("org-a");
const checksum = configMapsChecksum(provisioning, dashboards);
const args = {
    org: "org-a",
    image: DEFAULTS.grafanaImage,
    prometheusUrl: url,
    adminSecretName: "qstack-grafana-admin",
    provisioningConfigMapName: "qstack-grafana-provisioning",
    dashboardsConfigMapName: "qstack-grafana-dashboards",
};
const deployment = buildGrafanaDeploymentSpec(args, checksum) as any;
const pod = deployment.template.spec;
const container = pod.containers[0];
const volumes: Record<string, any> = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
const env: Record<string, any> = Object.fromEntries(container.env.map((e: any) => [e.name, e]));

/** The files Grafana sees under a mount path: ConfigMap key → file path, as kubelet projects them. */
function filesAt(mountPath: string): Record<string, string> {
    const mount = container.volumeMounts.find((m: any) => m.mountPath === mountPath);
    assert.ok(mount, `something is mounted at ${mountPath}`);
    const cm = volumes[mount.name].configMap;
    assert.ok(cm, `${mountPath} is a ConfigMap`);
    const data = cm.name === args.provisioningConfigMapName ? provisioning : cm.name === args.dashboardsConfigMapName ? dashboards : assert.fail(cm.name);
    const items: { key: string; path: string }[] = cm.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    return Object.fromEntries(items.map((i) => [`${mountPath}/${i.path}`, data[i.key]]));
}

describe("core/k8s/addons/grafana", () => {
    describe("provisioning", () => {
        const datasources = parse(provisioning[GRAFANA_PROVISIONING_FILES.datasources]);
        const providers = parse(provisioning[GRAFANA_PROVISIONING_FILES.dashboards]);
        it("provisions the in-namespace Prometheus as the only, default datasource, with a fixed uid", () => {
            assert.equal(datasources.apiVersion, 1);
            assert.equal(datasources.datasources.length, 1);
            const [ds] = datasources.datasources;
            assert.deepEqual([ds.type, ds.uid, ds.url, ds.access, ds.isDefault], ["prometheus", PROMETHEUS_DATASOURCE_UID, url, "proxy", true]);
        });
        it("carries no credential for the datasource", () => {
            const [ds] = datasources.datasources;
            for (const k of ["basicAuth", "basicAuthUser", "secureJsonData", "password", "user"]) assert.equal(ds[k], undefined, k);
        });
        it("places each provisioning file in the directory Grafana reads it from", () => {
            const ds = filesAt("/etc/grafana/provisioning/datasources");
            assert.deepEqual(Object.keys(ds), ["/etc/grafana/provisioning/datasources/datasources.yaml"]);
            const dp = filesAt("/etc/grafana/provisioning/dashboards");
            assert.deepEqual(Object.keys(dp), ["/etc/grafana/provisioning/dashboards/dashboards.yaml"]);
        });
        it("points the dashboard provider at the directory where the dashboards ConfigMap is mounted", () => {
            const [provider] = providers.providers;
            assert.equal(provider.type, "file");
            const files = filesAt(provider.options.path);
            assert.deepEqual(Object.keys(files), [`${provider.options.path}/qstack-org-a.json`]);
            assert.equal(JSON.parse(Object.values(files)[0]).uid, "qstack-org-a");
        });
        it("is byte-identical for the same URL and rejects what is not an http(s) URL", () => {
            assert.deepEqual(buildGrafanaProvisioning(url), provisioning);
            assert.throws(() => buildGrafanaProvisioning("qstack-prometheus:9090"), QstackError);
            assert.throws(() => buildGrafanaProvisioning("http://a b"), QstackError);
        });
    });

    describe("checksum", () => {
        it("rolls the pod when the provisioning or the dashboard changes, not when only key order does", () => {
            assert.equal(deployment.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION], checksum);
            assert.match(checksum, /^[0-9a-f]{64}$/);
            assert.notEqual(configMapsChecksum(buildGrafanaProvisioning("http://other:9090"), dashboards), checksum);
            assert.notEqual(configMapsChecksum(provisioning, buildGrafanaDashboardFiles("org-b")), checksum);
            const reordered = Object.fromEntries(Object.entries(provisioning).reverse());
            assert.equal(configMapsChecksum(reordered, dashboards), checksum);
        });
    });

    describe("admin password", () => {
        it("comes from the Secret's admin-password key", () => {
            assert.deepEqual(env.GF_SECURITY_ADMIN_PASSWORD, {
                name: "GF_SECURITY_ADMIN_PASSWORD",
                valueFrom: { secretKeyRef: { name: "qstack-grafana-admin", key: "admin-password", optional: false } },
            });
        });
        it("appears nowhere else: no literal value, file or other Secret in the spec or the provisioning", () => {
            const rest = structuredClone(deployment);
            rest.template.spec.containers[0].env = container.env.filter((e: any) => e.name !== "GF_SECURITY_ADMIN_PASSWORD");
            assert.doesNotMatch(JSON.stringify({ rest, provisioning }), /passw|secret/i);
        });
    });

    describe("Deployment", () => {
        it("turns anonymous access, usage reporting and every outbound check off", () => {
            for (const name of ["GF_AUTH_ANONYMOUS_ENABLED", "GF_ANALYTICS_REPORTING_ENABLED", "GF_ANALYTICS_CHECK_FOR_UPDATES", "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES", "GF_NEWS_NEWS_FEED_ENABLED"]) {
                assert.equal(env[name]?.value, "false", name);
            }
            assert.equal(env.GF_PLUGINS_PREINSTALL_DISABLED.value, "true");
        });
        it("runs as the grafana user with a read-only root filesystem, no capabilities and no service-account token", () => {
            assert.equal(pod.securityContext.runAsNonRoot, true);
            assert.equal(pod.securityContext.runAsUser, 472);
            assert.deepEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
            assert.equal(pod.containers.length, 1);
            assert.equal(pod.initContainers, undefined);
            assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
            assert.equal(pod.automountServiceAccountToken, false);
            assert.equal(pod.serviceAccountName, undefined);
        });
        it("writes only to emptyDirs at /var/lib/grafana and /tmp; every ConfigMap is mounted read-only without subPath", () => {
            const writable = container.volumeMounts.filter((m: any) => !m.readOnly);
            assert.deepEqual(writable.map((m: any) => m.mountPath).sort(), ["/tmp", "/var/lib/grafana"]);
            for (const m of writable) assert.ok(volumes[m.name].emptyDir, m.mountPath);
            for (const m of container.volumeMounts) {
                assert.equal(m.subPath, undefined, m.mountPath);
                if (volumes[m.name].configMap) assert.equal(m.readOnly, true, m.mountPath);
            }
            assert.equal(env.GF_PATHS_DATA.value, "/var/lib/grafana");
        });
        it("selects its pods with a stable subset of their labels, none of which is the goquorum name", () => {
            const labels = deployment.template.metadata.labels;
            assert.deepEqual(Object.keys(deployment.selector.matchLabels).sort(), ["app.kubernetes.io/instance", "app.kubernetes.io/name"]);
            for (const [k, v] of Object.entries(deployment.selector.matchLabels)) assert.equal(labels[k], v, k);
            assert.equal(labels["app.kubernetes.io/name"], "grafana");
            assert.equal(labels["app.kubernetes.io/version"], "12.4.5");
        });
        it("sets requests and limits and probes /api/health", () => {
            assert.ok(container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory);
            for (const p of [container.startupProbe, container.readinessProbe, container.livenessProbe]) assert.equal(p.httpGet.path, "/api/health");
            assert.deepEqual(container.ports, [{ name: "http", containerPort: GRAFANA_PORT }]);
        });
        it("pins an image tag, never latest", () => {
            assert.match(DEFAULTS.grafanaImage, /^grafana\/grafana:\d+\.\d+\.\d+$/);
        });
    });

    describe("Service", () => {
        it("is ClusterIP only and selects the Grafana pod", () => {
            const svc = buildGrafanaServiceSpec("org-a") as any;
            assert.equal(svc.type, "ClusterIP");
            for (const p of svc.ports) assert.equal(p.nodePort, undefined);
            assert.deepEqual(svc.ports.map((p: any) => p.port), [GRAFANA_PORT]);
            for (const [k, v] of Object.entries(svc.selector)) assert.equal(deployment.template.metadata.labels[k], v, k);
        });
    });
});
