/**
 * What every add-on (Prometheus, Grafana, Cakeshop) runs as: one Deployment replica whose pod
 * template carries the add-on labels and the config checksum, and a ClusterIP Service on its
 * `http` port. Add-ons have no authentication of their own, so they are never published
 * outside the cluster; operators use `kubectl port-forward`.
 */
import type * as k8s from "@pulumi/kubernetes";
import { CONFIG_CHECKSUM_ANNOTATION } from "../config-checksum";
import { podSecurity } from "../container-security";
import { addonLabels, addonSelector } from "../labels";

export interface AddonPod {
    readonly org: string;
    readonly addon: string;
    /** `app.kubernetes.io/version`. */
    readonly version: string;
    /** See ./config-checksum.ts: a config change rolls the pod. */
    readonly configChecksum: string;
    /** The image's user; the pod runs as it, never as root. */
    readonly uid: number;
    readonly terminationGracePeriodSeconds: number;
    /** Only an add-on that calls the API server gets a token. @default - none, no token mounted */
    readonly serviceAccountName?: string;
    readonly containers: k8s.types.input.core.v1.Container[];
    readonly volumes: k8s.types.input.core.v1.Volume[];
}

export function buildAddonDeploymentSpec(p: AddonPod): k8s.types.input.apps.v1.DeploymentSpec {
    return {
        replicas: 1,
        revisionHistoryLimit: 3,
        // Each pod has its own emptyDir state, so old and new may overlap; the old one serves until the new one is ready.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        selector: { matchLabels: addonSelector(p.org, p.addon) },
        template: {
            metadata: {
                labels: addonLabels(p.org, p.addon, p.version),
                annotations: { [CONFIG_CHECKSUM_ANNOTATION]: p.configChecksum },
            },
            spec: {
                ...(p.serviceAccountName ? { serviceAccountName: p.serviceAccountName } : {}),
                automountServiceAccountToken: p.serviceAccountName !== undefined,
                enableServiceLinks: false,
                terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
                securityContext: podSecurity(p.uid, p.uid),
                containers: p.containers,
                volumes: p.volumes,
            },
        },
    };
}

export function buildAddonServiceSpec(org: string, addon: string, port: number): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector: addonSelector(org, addon),
        ports: [{ name: "http", port, targetPort: "http", protocol: "TCP" }],
    };
}
