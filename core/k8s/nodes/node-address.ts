/**
 * Choosing the address partners dial, from the cluster's Node objects, and reading just enough
 * of a kubeconfig to ask the API server for them. Pure: the HTTP call lives in components/.
 */
import { settingKey, type SettingsSource } from "../../config/settings-source";
import { load } from "js-yaml";
import { QstackError } from "../../errors";

/** The parts of a v1 Node this needs. */
export interface NodeLike {
    readonly metadata?: { readonly name?: string; readonly labels?: Readonly<Record<string, string>> };
    readonly spec?: { readonly unschedulable?: boolean };
    readonly status?: {
        readonly addresses?: readonly { readonly type?: string; readonly address?: string }[];
        readonly conditions?: readonly { readonly type?: string; readonly status?: string }[];
    };
}

const ADDRESS_PREFERENCE = ["ExternalIP", "InternalIP"] as const;

/** The Kubernetes node whose address partners dial. */
export interface ExportedNode {
    readonly address: string;
    /**
     * Its `kubernetes.io/hostname` label, for pinning pods to it (see organization.ts); absent
     * when the node has no such label, since a selector on a missing label would match nothing.
     */
    readonly hostname?: string;
}

/**
 * The node partners should dial: of the Ready, schedulable nodes sorted by name, the first
 * one with an ExternalIP or InternalIP (ExternalIP preferred). Sorting makes the choice stable
 * across runs.
 */
export function chooseExportedNode(nodes: readonly NodeLike[], source: SettingsSource = "stack-config"): ExportedNode {
    const ready = nodes
        .filter((n) => !n.spec?.unschedulable && n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
        .sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
    for (const node of ready) {
        for (const type of ADDRESS_PREFERENCE) {
            const address = node.status?.addresses?.find((a) => a.type === type)?.address;
            if (address) return { address, hostname: node.metadata?.labels?.["kubernetes.io/hostname"] };
        }
    }
    throw new QstackError("CLUSTER_DISCOVERY", [
        {
            key: settingKey(source, "nodeIp"),
            reason: `cannot discover the node IP: none of the cluster's ${nodes.length} node(s) is Ready with an ExternalIP or InternalIP`,
            allowed: `set ${settingKey(source, "nodeIp")} to the address partners can reach`,
        },
    ]);
}

/** Connection settings taken from a kubeconfig. Fields are PEM text or file paths. */
export interface ClusterConnection {
    readonly server: string;
    readonly caData?: string;
    readonly caFile?: string;
    readonly insecureSkipTlsVerify?: boolean;
    readonly certData?: string;
    readonly certFile?: string;
    readonly keyData?: string;
    readonly keyFile?: string;
    readonly token?: string;
    readonly tokenFile?: string;
}

interface KubeConfig {
    "current-context"?: string;
    contexts?: { name: string; context: { cluster: string; user: string } }[];
    clusters?: { name: string; cluster: Record<string, unknown> }[];
    users?: { name: string; user: Record<string, unknown> }[];
}

const b64 = (v: unknown) => (typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : undefined);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/**
 * Extracts the connection of `context` (default: current-context) from kubeconfig YAML.
 * @throws QstackError CLUSTER_DISCOVERY when the context is missing or uses exec/auth-provider plugins.
 */
export function parseKubeconfig(text: string, context?: string, source: SettingsSource = "stack-config"): ClusterConnection {
    const fail = (reason: string): never => {
        throw new QstackError("CLUSTER_DISCOVERY", [
            { key: "kubeconfig", reason, allowed: `a kubeconfig with client certificates or a token, or set ${settingKey(source, "nodeIp")}` },
        ]);
    };
    const kc = (load(text) ?? {}) as KubeConfig;
    const name = context ?? kc["current-context"];
    const ctx = kc.contexts?.find((c) => c.name === name)?.context;
    if (!ctx) return fail(`context ${JSON.stringify(name)} not found`);
    const cluster = kc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
    const user = kc.users?.find((u) => u.name === ctx.user)?.user ?? {};
    if (!cluster || typeof cluster.server !== "string") return fail(`cluster ${JSON.stringify(ctx.cluster)} has no server`);
    if (user.exec || user["auth-provider"]) {
        return fail(`user ${JSON.stringify(ctx.user)} authenticates through an exec/auth-provider plugin, which node-IP discovery does not run`);
    }
    return {
        server: cluster.server,
        caData: b64(cluster["certificate-authority-data"]),
        caFile: str(cluster["certificate-authority"]),
        insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
        certData: b64(user["client-certificate-data"]),
        certFile: str(user["client-certificate"]),
        keyData: b64(user["client-key-data"]),
        keyFile: str(user["client-key"]),
        token: str(user.token),
        tokenFile: str(user.tokenFile),
    };
}
