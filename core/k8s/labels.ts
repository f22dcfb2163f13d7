/**
 * Kubernetes names and labels for qstack objects. One function per name so that the component,
 * the CLI and the lab agree on what a node's StatefulSet, Services and Secret are called.
 */
import type { NodeConfig } from "../config/schema";

export const PART_OF = "qstack";

/** The labels every node pod of `org` carries, whatever its node: selects an organization's nodes. */
export function orgNodeSelector(org: string): Record<string, string> {
    return { "app.kubernetes.io/name": "goquorum", "app.kubernetes.io/part-of": PART_OF, "qstack.io/org": org };
}

/** Recommended `app.kubernetes.io/*` labels of one node's objects. */
export function nodeLabels(org: string, node: Pick<NodeConfig, "name" | "role">, version: string): Record<string, string> {
    return {
        ...orgNodeSelector(org),
        "app.kubernetes.io/instance": node.name,
        "app.kubernetes.io/version": version,
        "app.kubernetes.io/component": node.role,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** The stable subset used in selectors (selectors are immutable, so no version or role). */
export function nodeSelector(node: Pick<NodeConfig, "name">): Record<string, string> {
    return { "app.kubernetes.io/name": "goquorum", "app.kubernetes.io/instance": node.name };
}

/** Labels of the organization-wide objects (genesis, peer lists, policies). */
export function orgLabels(org: string): Record<string, string> {
    return { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": "pulumi", "qstack.io/org": org };
}

/** Kubernetes object names. */
export const names = {
    statefulSet: (node: string) => node,
    service: (node: string) => node,
    externalService: (node: string) => `${node}-external`,
    /**
     * The key Secret carries the node's enode fingerprint: Secrets are retained when a node is
     * removed, so a node re-added under the same name (with new keys) must not collide with, or
     * overwrite, the retained keys of its predecessor.
     */
    keySecret: (node: string, enodeId: string) => `${node}-keys-${enodeId.slice(0, 8)}`,
    tesseraConfigMap: (node: string) => `${node}-tessera`,
    pvc: (node: string) => `data-${node}-0`,
    pod: (node: string) => `${node}-0`,
    genesisConfigMap: "qstack-genesis",
    staticNodesConfigMap: "qstack-static-nodes",
    permissionedNodesConfigMap: "qstack-permissioned-nodes",
    reconcilerConfigMap: "qstack-reconciler",
    networkPolicy: "qstack-nodes",
    validatorBudget: "qstack-validators",
    serviceMonitor: "qstack-geth",
    ingress: "qstack-rpc",
    prometheus: "qstack-prometheus",
    grafana: "qstack-grafana",
    grafanaAdminSecret: "qstack-grafana-admin",
    grafanaProvisioning: "qstack-grafana-provisioning",
    grafanaDashboards: "qstack-grafana-dashboards",
    explorer: "qstack-cakeshop",
    acceptance: "qstack-acceptance",
} as const;

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** The tag of an image reference (`repo:tag`, `repo:tag@digest`) as a label value, or "unknown". */
export function imageTag(image: string): string {
    const ref = image.split("@")[0];
    const colon = ref.lastIndexOf(":");
    const tag = colon > ref.lastIndexOf("/") ? ref.slice(colon + 1) : "";
    return LABEL_VALUE.test(tag) ? tag : "unknown";
}

/** The stable subset of {@link addonLabels} used in selectors (selectors are immutable). */
export function addonSelector(org: string, addon: string): Record<string, string> {
    return { "app.kubernetes.io/name": addon, "app.kubernetes.io/instance": `${org}-${addon}` };
}

/** Labels of an organization's add-on (monitoring, explorer, acceptance test): never a node's. */
export function addonLabels(org: string, addon: string, version: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": addon,
        "app.kubernetes.io/instance": `${org}-${addon}`,
        "app.kubernetes.io/version": version,
        "app.kubernetes.io/part-of": PART_OF,
        "app.kubernetes.io/managed-by": "pulumi",
        "qstack.io/org": org,
        "qstack.io/addon": addon,
    };
}
