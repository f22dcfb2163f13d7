/**
 * Discovers the address partners dial (see core/k8s/nodes/node-address.ts) by listing the cluster's
 * Nodes with the same kubeconfig the Kubernetes provider uses. A read, like a data source:
 * the program never writes anything outside Pulumi resources.
 */
import { readFileSync, existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { request } from "node:https";
import { settingKey, type SettingsSource } from "../core/config/settings-source";
import { QstackError } from "../core/errors";
import { chooseExportedNode, parseKubeconfig, type ClusterConnection, type ExportedNode, type NodeLike } from "../core/k8s/nodes/node-address";

export interface KubeconfigSource {
    /** `kubernetes:kubeconfig` provider config: a path or the YAML itself. */
    readonly kubeconfig?: string;
    /** `kubernetes:context` provider config. */
    readonly context?: string;
    /** The KUBECONFIG environment variable. */
    readonly env?: string;
    /** Where the organization's settings were written, for the keys errors name. @default "stack-config" */
    readonly settingsSource?: SettingsSource;
}

/** Finds kubeconfig text the way the Kubernetes provider does. */
export function loadKubeconfig(source: KubeconfigSource): string {
    if (source.kubeconfig) {
        return source.kubeconfig.includes("apiVersion") ? source.kubeconfig : readFileSync(source.kubeconfig, "utf8");
    }
    const candidates = [...(source.env ?? "").split(":").filter(Boolean), join(homedir(), ".kube", "config")];
    const found = candidates.find((p) => existsSync(p));
    if (!found) {
        throw new QstackError("CLUSTER_DISCOVERY", [
            { key: "kubeconfig", reason: "no kubeconfig found (kubernetes:kubeconfig, $KUBECONFIG, ~/.kube/config)", allowed: `a kubeconfig, or set ${settingKey(source.settingsSource ?? "stack-config", "nodeIp")}` },
        ]);
    }
    return readFileSync(found, "utf8");
}

function listNodes(c: ClusterConnection): Promise<NodeLike[]> {
    const file = (p?: string) => (p ? readFileSync(p, "utf8") : undefined);
    const token = c.token ?? file(c.tokenFile)?.trim();
    const url = new URL("/api/v1/nodes", c.server);
    return new Promise((resolve, reject) => {
        const req = request(
            url,
            {
                method: "GET",
                ca: c.caData ?? file(c.caFile),
                cert: c.certData ?? file(c.certFile),
                key: c.keyData ?? file(c.keyFile),
                rejectUnauthorized: !c.insecureSkipTlsVerify,
                headers: { Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
                timeout: 15000,
            },
            (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => (body += chunk));
                res.on("end", () => {
                    if (res.statusCode !== 200) {
                        reject(new Error(`GET ${url.href} returned ${res.statusCode}: ${body.slice(0, 200)}`));
                        return;
                    }
                    resolve((JSON.parse(body) as { items: NodeLike[] }).items);
                });
            },
        );
        req.on("timeout", () => req.destroy(new Error(`GET ${url.href} timed out`)));
        req.on("error", reject);
        req.end();
    });
}

/** The node partners should dial, read from the cluster. */
export async function discoverExportedNode(source: KubeconfigSource): Promise<ExportedNode> {
    const settings = source.settingsSource ?? "stack-config";
    const connection = parseKubeconfig(loadKubeconfig(source), source.context, settings);
    let nodes: NodeLike[];
    try {
        nodes = await listNodes(connection);
    } catch (e) {
        throw new QstackError("CLUSTER_DISCOVERY", [
            { key: settingKey(settings, "nodeIp"), reason: `cannot list the cluster's nodes to discover the node IP: ${(e as Error).message}`, allowed: `a reachable cluster, or set ${settingKey(settings, "nodeIp")}` },
        ]);
    }
    return chooseExportedNode(nodes, settings);
}
