/**
 * The organization's own monitoring (core/k8s/addons/prometheus.ts, grafana.ts, grafana-dashboard.ts):
 * a Prometheus that discovers this org's node pods in the namespace and scrapes geth and Tessera,
 * and optionally Grafana with the qstack dashboard. The Grafana admin password is generated as a
 * Pulumi secret and written only to a Kubernetes Secret.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { NetworkConfig } from "../core/config/schema";
import { configChecksum, configMapsChecksum } from "../core/k8s/config-checksum";
import { buildGrafanaDashboardFiles } from "../core/k8s/addons/grafana-dashboard";
import { GRAFANA_ADMIN_PASSWORD_KEY, buildGrafanaDeploymentSpec, buildGrafanaProvisioning, buildGrafanaServiceSpec } from "../core/k8s/addons/grafana";
import { addonLabels, imageTag, names } from "../core/k8s/labels";
import {
    PROMETHEUS_CONFIG_FILE,
    PROMETHEUS_PORT,
    buildPrometheusConfig,
    buildPrometheusDeploymentSpec,
    buildPrometheusRoleRules,
    buildPrometheusServiceSpec,
} from "../core/k8s/addons/prometheus";

export interface MonitoringArgs {
    readonly config: NetworkConfig;
    readonly namespace: pulumi.Input<string>;
}

export class Monitoring extends pulumi.ComponentResource {
    /** In-cluster URL of Prometheus. */
    public readonly prometheusUrl: string;
    /** The Secret holding Grafana's generated admin password, when Grafana is on. */
    public readonly grafanaAdminSecret?: k8s.core.v1.Secret;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qstack:index:Monitoring", name, {}, opts);
        const { config } = args;
        const { org } = config;
        const child = { parent: this };
        const promMeta = { name: names.prometheus, namespace: args.namespace, labels: addonLabels(org, "prometheus", imageTag(config.monitoring.prometheusImage)) };

        const account = new k8s.core.v1.ServiceAccount(`${name}-prometheus-sa`, { metadata: promMeta }, child);
        const role = new k8s.rbac.v1.Role(`${name}-prometheus-role`, { metadata: promMeta, rules: buildPrometheusRoleRules() }, child);
        const binding = new k8s.rbac.v1.RoleBinding(
            `${name}-prometheus-binding`,
            {
                metadata: promMeta,
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: args.namespace }],
            },
            child,
        );
        const prometheusYml = pulumi.output(args.namespace).apply((namespace) => buildPrometheusConfig({ org, namespace }));
        const promConfig = new k8s.core.v1.ConfigMap(
            `${name}-prometheus-config`,
            { metadata: promMeta, data: prometheusYml.apply((y) => ({ [PROMETHEUS_CONFIG_FILE]: y })) },
            child,
        );
        new k8s.apps.v1.Deployment(
            `${name}-prometheus`,
            {
                metadata: promMeta,
                spec: pulumi.all([args.namespace, prometheusYml]).apply(([namespace, yml]) =>
                    buildPrometheusDeploymentSpec(
                        { org, namespace, image: config.monitoring.prometheusImage, serviceAccountName: names.prometheus, configMapName: names.prometheus },
                        configChecksum(yml),
                    ),
                ),
            },
            { ...child, dependsOn: [promConfig, binding] },
        );
        new k8s.core.v1.Service(`${name}-prometheus-service`, { metadata: promMeta, spec: buildPrometheusServiceSpec(org) }, child);
        this.prometheusUrl = `http://${names.prometheus}:${PROMETHEUS_PORT}`;

        if (config.monitoring.grafana) {
            const grafanaLabels = addonLabels(org, "grafana", imageTag(config.monitoring.grafanaImage));
            const meta = (n: string) => ({ name: n, namespace: args.namespace, labels: grafanaLabels });
            const password = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, child);
            const secret = (this.grafanaAdminSecret = new k8s.core.v1.Secret(
                `${name}-grafana-admin`,
                { metadata: meta(names.grafanaAdminSecret), type: "Opaque", stringData: { [GRAFANA_ADMIN_PASSWORD_KEY]: pulumi.secret(password.result) } },
                child,
            ));
            const provisioning = buildGrafanaProvisioning(this.prometheusUrl);
            const dashboards = buildGrafanaDashboardFiles(org);
            const maps = [
                new k8s.core.v1.ConfigMap(`${name}-grafana-provisioning`, { metadata: meta(names.grafanaProvisioning), data: provisioning }, child),
                new k8s.core.v1.ConfigMap(`${name}-grafana-dashboards`, { metadata: meta(names.grafanaDashboards), data: dashboards }, child),
            ];
            new k8s.apps.v1.Deployment(
                `${name}-grafana`,
                {
                    metadata: meta(names.grafana),
                    spec: buildGrafanaDeploymentSpec(
                        {
                            org,
                            image: config.monitoring.grafanaImage,
                            prometheusUrl: this.prometheusUrl,
                            adminSecretName: names.grafanaAdminSecret,
                            provisioningConfigMapName: names.grafanaProvisioning,
                            dashboardsConfigMapName: names.grafanaDashboards,
                        },
                        configMapsChecksum(provisioning, dashboards),
                    ),
                },
                { ...child, dependsOn: [secret, ...maps] },
            );
            new k8s.core.v1.Service(`${name}-grafana-service`, { metadata: meta(names.grafana), spec: buildGrafanaServiceSpec(org) }, child);
        }
        this.registerOutputs({});
    }
}
