/**
 * Asking a running node pod of the real lab: geth's console over the pod's IPC socket, or a
 * shell in its geth container, through `kubectl exec`, as an operator would.
 */
import { execFileSync } from "node:child_process";
import { AutomationDriver } from "../../cli/network/automation-driver";
import type { ExternalNodesDocument } from "../../core/export/external-nodes";
import { names } from "../../core/k8s/labels";
import { parseEnodeUrl } from "../../core/keys/enode";
import { PATHS } from "../../core/node/layout";
import { REAL_CLUSTERS, REAL_PROJECT_DIR, realKubeconfigOf, type ClusterName } from "../lab-env";

/** A node pod of a real lab cluster, as the stacks' exports name it. */
export interface RealNode {
    readonly cluster: ClusterName;
    readonly name: string;
    readonly pod: string;
    readonly role: string;
    readonly enodeId: string;
    readonly validatorAddress: string;
    readonly tesseraPublicKey?: string;
}

export function kubectlIn(cluster: ClusterName, ...args: string[]): string {
    return execFileSync("kubectl", ["--kubeconfig", realKubeconfigOf(cluster), "-n", REAL_CLUSTERS[cluster].namespace, ...args], {
        encoding: "utf8",
        maxBuffer: 64 << 20,
    });
}

/** Runs `script` with busybox sh in the node's geth container; returns its stdout. */
export function shellIn(n: Pick<RealNode, "cluster" | "pod">, script: string): string {
    return kubectlIn(n.cluster, "exec", n.pod, "-c", "quorum", "--", "sh", "-c", script);
}

/** Evaluates the ES5 expression `js` in the node's geth console; returns its JSON value. */
export function gethValue<T>(n: Pick<RealNode, "cluster" | "pod" | "name">, js: string): T {
    const out = kubectlIn(n.cluster, "exec", n.pod, "-c", "quorum", "--", "geth", "attach", "--exec", `console.log("QJSON " + JSON.stringify(${js}))`, `${PATHS.quorumDataDir}/geth.ipc`);
    const line = /^QJSON (.*)$/m.exec(out);
    if (!line) throw new Error(`${n.name}: no answer to ${js.slice(0, 120)}: ${out.trim().slice(0, 200)}`);
    return JSON.parse(line[1]) as T;
}

/** As much of a pod object (`kubectl get pod -o json`) as readiness needs. */
export interface PodReadiness {
    readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: PodReadiness): boolean {
    return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** The enode IDs (public keys) of the peers `n` is connected to, from `admin.peers`. */
export function peerEnodeIds(n: RealNode): string[] {
    return gethValue<{ enode: string }[]>(n, "admin.peers").map((p) => parseEnodeUrl(p.enode, `${n.name}: admin.peers[].enode`).enodeId);
}

/** Every node of both lab stacks, from their exports (needs the lab's environment: runLab sets it). */
export async function realNodes(): Promise<RealNode[]> {
    const driver = new AutomationDriver(REAL_PROJECT_DIR, () => undefined);
    const nodes: RealNode[] = [];
    for (const cluster of Object.keys(REAL_CLUSTERS) as ClusterName[]) {
        const doc = (await driver.externalNodes(REAL_CLUSTERS[cluster].stack)) as ExternalNodesDocument;
        for (const n of doc.nodes) {
            nodes.push({
                cluster,
                name: n.name,
                pod: names.pod(n.name),
                role: n.role,
                enodeId: n.enodeId,
                validatorAddress: n.validatorAddress.toLowerCase(),
                ...(n.tesseraPublicKey ? { tesseraPublicKey: n.tesseraPublicKey } : {}),
            });
        }
    }
    return nodes;
}
