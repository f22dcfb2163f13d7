/**
 * The lab with real nodes: two clusters whose one node each really runs containers
 * (lab/real-clusters.sh), the lab's own images (lab/images), and the same two stacks as the
 * simulated lab, pointed at them. The program still does not know it runs in the lab: each stack
 * only gets its cluster's kubeconfig and the image keys any operator of an air-gapped cluster
 * would set. Its Pulumi state and project copy are separate from the simulated lab's.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { PATHS, PORTS } from "../core/node/layout";
import { LAB_DIR, REPO, prepareProject, type ClusterName } from "./lab-env";
import type { LabTarget, NodePodReport } from "./run-lab";

export const REAL_PROJECT_DIR = join(LAB_DIR, "real-project");
export const REAL_STATE_DIR = join(LAB_DIR, "real-state");

/** The real clusters: node IPs on the lab bridge (lab/nodes/network.sh). */
export const REAL_CLUSTERS = {
    a: { stack: "clusterA", namespace: "org-a", node: "lab-a-node", nodeIp: "10.213.0.10", nodePorts: [30000, 30999] },
    b: { stack: "clusterB", namespace: "org-b", node: "lab-b-node", nodeIp: "10.213.0.20", nodePorts: [31000, 31999] },
} as const;

export function realKubeconfigOf(cluster: ClusterName): string {
    return join(LAB_DIR, "real", cluster, "kubeconfig");
}

const SCRIPT = join(REPO, "lab", "real-clusters.sh");

/**
 * Builds the images (first time) and starts both clusters (idempotent). Clusters that have to be
 * started afresh hold none of the lab stacks' resources, so the stacks' state and project copy
 * from before are dropped with them, or the engine would look for objects that are gone.
 */
export function realClustersUp(): void {
    const status = execFileSync(SCRIPT, ["status"], { encoding: "utf8" });
    if (!/^a up$/m.test(status) || !/^b up$/m.test(status)) {
        for (const dir of [REAL_STATE_DIR, REAL_PROJECT_DIR]) rmSync(dir, { recursive: true, force: true });
        mkdirSync(REAL_STATE_DIR, { recursive: true });
    }
    execFileSync(SCRIPT, ["up"], { stdio: ["ignore", "ignore", "inherit"] });
}

/** Removes every process, namespace, veth, cgroup, mount and file of the real clusters. */
export function realClustersDown(): void {
    execFileSync(SCRIPT, ["down"], { stdio: "inherit" });
}

/**
 * The lab images' names (`quorum` → `qstack-lab/quorum:24.4.1`, …), as `real-clusters.sh up`
 * listed them from each imported archive's own index.json.
 */
export function labImageNames(): Record<string, string> {
    const list = join(LAB_DIR, "real", "images");
    if (!existsSync(list)) throw new Error(`${list} is missing: the real clusters are not up (lab/real-clusters.sh up writes it)`);
    const names: Record<string, string> = {};
    for (const line of readFileSync(list, "utf8").split("\n").filter(Boolean)) {
        const name = line.split(" ")[0].replace(/^docker\.io\//, "");
        names[name.split(":")[0].replace("qstack-lab/", "")] = name;
    }
    return names;
}

/**
 * The stack config that points a stack at the lab's images, as an air-gapped operator would, and
 * deploys the acceptance test's Job template (its kubectl image is the lab's too), so `qctl test`
 * runs on the real nodes.
 */
export function labImageConfig(images: Record<string, string>): Record<string, unknown> {
    return {
        "qstack:quorum": { image: images.quorum },
        "qstack:tessera": { image: images.tessera },
        "qstack:acceptanceTest": { enabled: true, kubectlImage: images.kubectl },
    };
}

function kubectl(cluster: ClusterName, ...args: string[]): string {
    return execFileSync("kubectl", ["--kubeconfig", realKubeconfigOf(cluster), ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
}

/** What a container's process says about itself, or undefined when it cannot be asked. */
function ask(cluster: ClusterName, namespace: string, pod: string, script: string): string | undefined {
    try {
        return kubectl(cluster, "-n", namespace, "exec", pod, "-c", "quorum", "--", "sh", "-c", script).trim() || undefined;
    } catch {
        return undefined;
    }
}

/** Every GoQuorum pod of both clusters: Ready, restarts, and the versions geth and Tessera report. */
export function describeRealPods(): NodePodReport[] {
    const rows: NodePodReport[] = [];
    for (const cluster of Object.keys(REAL_CLUSTERS) as ClusterName[]) {
        const { namespace } = REAL_CLUSTERS[cluster];
        const list = JSON.parse(kubectl(cluster, "-n", namespace, "get", "pods", "-l", "app.kubernetes.io/name=goquorum", "-o", "json")) as {
            items: { metadata: { name: string }; status: { conditions?: { type: string; status: string }[]; containerStatuses?: { restartCount: number }[]; initContainerStatuses?: { name: string; restartCount: number }[] } }[];
        };
        for (const p of list.items) {
            const statuses = [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])];
            const hasTessera = (p.status.initContainerStatuses ?? []).some((s) => s.name === "tessera");
            rows.push({
                cluster,
                pod: p.metadata.name,
                ready: p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
                restarts: statuses.reduce((n, s) => n + s.restartCount, 0),
                geth: ask(cluster, namespace, p.metadata.name, `geth attach --exec 'admin.nodeInfo.name' ${PATHS.quorumDataDir}/geth.ipc`)?.replace(/"/g, ""),
                tessera: hasTessera ? ask(cluster, namespace, p.metadata.name, `echo "Tessera $(wget -q -O - http://127.0.0.1:${PORTS.tesseraP2p}/version)"`) : undefined,
            });
        }
    }
    return rows;
}

/** `npm run lab -- --real`: the handshake on the real-node clusters, with the lab's images. */
export const REAL_LAB: LabTarget = {
    name: "real nodes",
    stateDir: REAL_STATE_DIR,
    reportFile: join(LAB_DIR, "real-report.json"),
    clustersUp: realClustersUp,
    prepareProject: () => prepareProject(REAL_PROJECT_DIR, realKubeconfigOf, labImageConfig(labImageNames())),
    describePods: describeRealPods,
};
