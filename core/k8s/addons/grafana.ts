/**
 * The optional in-namespace Grafana of the monitoring add-on: one pod, provisioned from
 * ConfigMaps with the add-on's Prometheus as its only datasource and the qstack dashboard
 * (./grafana-dashboard.ts).
 *
 * - The admin password comes only from a Kubernetes Secret (`GF_SECURITY_ADMIN_PASSWORD` from a
 *   secretKeyRef), never from the spec or a ConfigMap. Anonymous access stays off.
 * - Many clusters have no internet access, and none should need it for a dashboard: usage
 *   reporting, update checks, the news feed and plugin pre-installation (which downloads plugins
 *   from grafana.com at startup unless `[plugins] preinstall_disabled`, grafana/grafana
 *   pkg/setting/setting_plugins.go) are all off.
 * - The database (sqlite) lives in an emptyDir: everything Grafana shows is provisioned, so a new
 *   pod is a complete Grafana again. Datasources are read only at startup, hence the checksum
 *   annotation, which rolls the pod when the provisioning (or the dashboard) changes; the new
 *   database also re-creates the admin user from the Secret.
 * - No service-account token: Grafana never talks to the Kubernetes API.
 */
import type * as k8s from "@pulumi/kubernetes";
import { QstackError } from "../../errors";
import { buildAddonDeploymentSpec, buildAddonServiceSpec } from "./addon-workload";
import { CONTAINER_SECURITY } from "../container-security";
import { imageTag } from "../labels";
import { SCRAPE_INTERVAL } from "./prometheus";

/** Add-on name: the `app.kubernetes.io/name` of Grafana's objects. */
export const GRAFANA_ADDON = "grafana";

export const GRAFANA_PORT = 3000;

/** The grafana/grafana image's user (`grafana`, uid 472). */
export const GRAFANA_UID = 472;

/** Fixed datasource uid: the dashboard refers to its datasource by this uid, not by name. */
export const PROMETHEUS_DATASOURCE_UID = "qstack-prometheus";

/** Key of the admin password in the Secret named by {@link GrafanaSpecArgs.adminSecretName}. */
export const GRAFANA_ADMIN_PASSWORD_KEY = "admin-password";

/** Keys of the provisioning ConfigMap. */
export const GRAFANA_PROVISIONING_FILES = { datasources: "datasources.yaml", dashboards: "dashboards.yaml" } as const;

export const GRAFANA_PATHS = {
    /** `GF_PATHS_DATA` of the image: sqlite database, plugins, sessions. */
    data: "/var/lib/grafana",
    tmp: "/tmp",
    datasources: "/etc/grafana/provisioning/datasources",
    dashboardProviders: "/etc/grafana/provisioning/dashboards",
    /** Dashboard JSON files (the dashboards ConfigMap), read by the file provider. */
    dashboards: "/var/lib/grafana/dashboards",
} as const;

export const GRAFANA_RESOURCES = {
    requests: { cpu: "50m", memory: "128Mi" },
    limits: { memory: "512Mi" },
} as const;

export interface GrafanaSpecArgs {
    org: string;
    image: string;
    /** Base URL of the add-on's Prometheus Service, e.g. http://qstack-prometheus:9090. */
    prometheusUrl: string;
    /** Secret holding the admin password under {@link GRAFANA_ADMIN_PASSWORD_KEY}. */
    adminSecretName: string;
    provisioningConfigMapName: string;
    dashboardsConfigMapName: string;
    /** `app.kubernetes.io/version`. @default - the image tag, or "unknown" if that is not a valid label value */
    version?: string;
}

/**
 * Data of the provisioning ConfigMap: the datasource file and the dashboard provider file, as
 * JSON (a YAML subset) so that the bytes depend only on the URL. Neither holds a credential:
 * the in-namespace Prometheus has no authentication.
 */
export function buildGrafanaProvisioning(prometheusUrl: string): Record<string, string> {
    if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(prometheusUrl)) {
        throw new QstackError("INVALID_ARGUMENT", [
            { key: "grafana prometheusUrl", reason: "not an http(s) URL", value: prometheusUrl, allowed: "e.g. http://qstack-prometheus:9090" },
        ]);
    }
    const datasources = {
        apiVersion: 1,
        datasources: [
            {
                name: "Prometheus",
                type: "prometheus",
                uid: PROMETHEUS_DATASOURCE_UID,
                orgId: 1,
                // Grafana's backend queries Prometheus; browsers never need to reach it.
                access: "proxy",
                url: prometheusUrl,
                isDefault: true,
                editable: false,
                jsonData: { timeInterval: SCRAPE_INTERVAL, httpMethod: "POST" },
            },
        ],
    };
    const dashboards = {
        apiVersion: 1,
        providers: [
            {
                name: "qstack",
                orgId: 1,
                folder: "qstack",
                type: "file",
                // Provisioned means owned by the stack: edits in the UI would be lost at the next rollout anyway.
                disableDeletion: true,
                allowUiUpdates: false,
                updateIntervalSeconds: 60,
                options: { path: GRAFANA_PATHS.dashboards, foldersFromFilesStructure: false },
            },
        ],
    };
    return {
        [GRAFANA_PROVISIONING_FILES.datasources]: `${JSON.stringify(datasources, null, 2)}\n`,
        [GRAFANA_PROVISIONING_FILES.dashboards]: `${JSON.stringify(dashboards, null, 2)}\n`,
    };
}

/** Grafana's environment: settings only; the one secret is a reference to the Secret. */
export function buildGrafanaEnv(adminSecretName: string): k8s.types.input.core.v1.EnvVar[] {
    return [
        {
            name: "GF_SECURITY_ADMIN_PASSWORD",
            valueFrom: { secretKeyRef: { name: adminSecretName, key: GRAFANA_ADMIN_PASSWORD_KEY, optional: false } },
        },
        { name: "GF_AUTH_ANONYMOUS_ENABLED", value: "false" },
        { name: "GF_USERS_ALLOW_SIGN_UP", value: "false" },
        { name: "GF_ANALYTICS_REPORTING_ENABLED", value: "false" },
        { name: "GF_ANALYTICS_CHECK_FOR_UPDATES", value: "false" },
        { name: "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES", value: "false" },
        { name: "GF_NEWS_NEWS_FEED_ENABLED", value: "false" },
        { name: "GF_PLUGINS_PREINSTALL_DISABLED", value: "true" },
        // The root filesystem is read-only: logs go to stdout only.
        { name: "GF_LOG_MODE", value: "console" },
        { name: "GF_PATHS_DATA", value: GRAFANA_PATHS.data },
    ];
}

/**
 * Deployment spec; `configChecksum` is {@link configMapsChecksum} of the provisioning and
 * dashboards data. See the file comment for why the database is an emptyDir.
 */
export function buildGrafanaDeploymentSpec(args: GrafanaSpecArgs, configChecksum: string): k8s.types.input.apps.v1.DeploymentSpec {
    const version = args.version ?? imageTag(args.image);
    const probe = { httpGet: { path: "/api/health", port: "http" } };
    const provisioningFile = (key: string) => ({ name: args.provisioningConfigMapName, items: [{ key, path: key }] });
    return buildAddonDeploymentSpec({
        org: args.org,
        addon: GRAFANA_ADDON,
        version,
        configChecksum,
        uid: GRAFANA_UID,
        terminationGracePeriodSeconds: 30,
        containers: [
            {
                name: GRAFANA_ADDON,
                image: args.image,
                imagePullPolicy: "IfNotPresent",
                env: buildGrafanaEnv(args.adminSecretName),
                ports: [{ name: "http", containerPort: GRAFANA_PORT }],
                // The first start runs every database migration, which takes a while on a small CPU share.
                startupProbe: { ...probe, periodSeconds: 5, failureThreshold: 60 },
                readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
                livenessProbe: { ...probe, periodSeconds: 20, failureThreshold: 3 },
                resources: {
                    requests: { ...GRAFANA_RESOURCES.requests },
                    limits: { ...GRAFANA_RESOURCES.limits },
                },
                securityContext: CONTAINER_SECURITY,
                volumeMounts: [
                    { name: "data", mountPath: GRAFANA_PATHS.data },
                    { name: "tmp", mountPath: GRAFANA_PATHS.tmp },
                    // Directory mounts (items, not subPath), so kubelet keeps them current.
                    { name: "datasources", mountPath: GRAFANA_PATHS.datasources, readOnly: true },
                    { name: "dashboard-providers", mountPath: GRAFANA_PATHS.dashboardProviders, readOnly: true },
                    { name: "dashboards", mountPath: GRAFANA_PATHS.dashboards, readOnly: true },
                ],
            },
        ],
        volumes: [
            { name: "data", emptyDir: { sizeLimit: "1Gi" } },
            { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
            { name: "datasources", configMap: provisioningFile(GRAFANA_PROVISIONING_FILES.datasources) },
            { name: "dashboard-providers", configMap: provisioningFile(GRAFANA_PROVISIONING_FILES.dashboards) },
            { name: "dashboards", configMap: { name: args.dashboardsConfigMapName } },
        ],
    });
}

/** ClusterIP only; reach Grafana with `kubectl port-forward` and log in as admin with the Secret's password. */
export function buildGrafanaServiceSpec(org: string): k8s.types.input.core.v1.ServiceSpec {
    return buildAddonServiceSpec(org, GRAFANA_ADDON, GRAFANA_PORT);
}
