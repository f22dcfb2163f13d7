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
import { LAB_DIR, REAL_CLUSTERS, REAL_PROJECT_DIR, REAL_STATE_DIR, REPO, prepareProject, realKubeconfigOf, type ClusterName } from "./lab-env";
import { observeRealChain } from "./chain/real-chain-report";
import { isPodReady, kubectlIn, shellIn } from "./chain/real-node-console";
import type { LabTarget, NodePodReport } from "./run-lab";

const SCRIPT = join(REPO, "lab", "real-clusters.sh");

/**
 * Builds the images (first time) and starts both clusters (idempotent). Clusters that have to be
 * started afresh hold none of the lab stacks' resources, so the stacks' state and project copy
 * from before are dropped with them, or the engine would look for objects that are gone.
 */
export function realClustersUp(): boolean {
    const status = execFileSync(SCRIPT, ["status"], { encoding: "utf8" });
    const fresh = !/^a up$/m.test(status) || !/^b up$/m.test(status);
    if (fresh) {
        for (const dir of [REAL_STATE_DIR, REAL_PROJECT_DIR]) rmSync(dir, { recursive: true, force: true });
        mkdirSync(REAL_STATE_DIR, { recursive: true });
    }
    execFileSync(SCRIPT, ["up"], { stdio: ["ignore", "ignore", "inherit"] });
    return fresh;
}

/**
 * Gives an image already in a cluster's containerd a second name (`qstack-lab/quorum:24.4.1` →
 * `qstack-lab/quorum:24.4.1-lab2`): the lab has no registry, so a second tag for an upgrade is
 * made where the kubelet finds it. Same content under a new name: what an upgrade to it proves
 * is the rollout, not a new geth.
 */
export function tagLabImage(cluster: ClusterName, image: string, tag: string): void {
    const bin = execFileSync(join(REPO, "lab", "toolchain", "ensure.sh"), ["containerd"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const socket = join(LAB_DIR, "real", cluster, "containerd", "containerd.sock");
    execFileSync(join(bin, "ctr"), ["--address", socket, "-n", "k8s.io", "images", "tag", "--force", `docker.io/${image}`, `docker.io/${tag}`], { stdio: "ignore" });
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
 * runs on the real nodes, and the monitoring add-on's Prometheus (the lab's build of the release
 * qstack defaults to), so its scraping of the node pods is proven on them. Grafana and the explorer
 * stay off: the lab cannot build their images (their front ends are npm builds it has no sources for).
 */
export function labImageConfig(images: Record<string, string>): Record<string, unknown> {
    return {
        "qstack:quorum": { image: images.quorum },
        "qstack:tessera": { image: images.tessera },
        "qstack:acceptanceTest": { enabled: true, kubectlImage: images.kubectl },
        "qstack:monitoring": { prometheus: true, prometheusImage: images.prometheus },
    };
}

/** What a container's process says about itself, or undefined when it cannot be asked. */
function ask(cluster: ClusterName, pod: string, script: string): string | undefined {
    try {
        return shellIn({ cluster, pod }, script).trim() || undefined;
    } catch {
        return undefined;
    }
}

/** Every GoQuorum pod of both clusters: Ready, restarts, and the versions geth and Tessera report. */
export function describeRealPods(): NodePodReport[] {
    const rows: NodePodReport[] = [];
    for (const cluster of Object.keys(REAL_CLUSTERS) as ClusterName[]) {
        const list = JSON.parse(kubectlIn(cluster, "get", "pods", "-l", "app.kubernetes.io/name=goquorum", "-o", "json")) as {
            items: { metadata: { name: string }; status: { conditions?: { type: string; status: string; lastTransitionTime?: string }[]; containerStatuses?: { restartCount: number }[]; initContainerStatuses?: { name: string; restartCount: number }[] } }[];
        };
        for (const p of list.items) {
            const statuses = [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])];
            const hasTessera = (p.status.initContainerStatuses ?? []).some((s) => s.name === "tessera");
            rows.push({
                cluster,
                pod: p.metadata.name,
                ready: isPodReady(p),
                restarts: statuses.reduce((n, s) => n + s.restartCount, 0),
                geth: ask(cluster, p.metadata.name, `geth attach --exec 'admin.nodeInfo.name' ${PATHS.quorumDataDir}/geth.ipc`)?.replace(/"/g, ""),
                tessera: hasTessera ? ask(cluster, p.metadata.name, `echo "Tessera $(wget -q -O - http://127.0.0.1:${PORTS.tesseraP2p}/version)"`) : undefined,
                readySince: p.status.conditions?.find((c) => c.type === "Ready" && c.status === "True")?.lastTransitionTime,
            });
        }
    }
    return rows;
}

/** `npm run lab`: the handshake on the real-node clusters, with the lab's images, then the chain. */
export const REAL_LAB: LabTarget = {
    name: "real nodes",
    stateDir: REAL_STATE_DIR,
    reportFile: join(LAB_DIR, "real-report.json"),
    clustersUp: realClustersUp,
    prepareProject: () => prepareProject(REAL_PROJECT_DIR, realKubeconfigOf, labImageConfig(labImageNames())),
    describePods: describeRealPods,
    observeChain: observeRealChain,
};
