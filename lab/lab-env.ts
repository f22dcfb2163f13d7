/**
 * Where the lab lives and the environment its Pulumi runs get: the toolchain on PATH, a local
 * file backend, a passphrase secrets provider, no plugin downloads. The program itself gets no
 * hint that it runs in the lab; each lab stack only points the Kubernetes provider at its
 * cluster's kubeconfig, as any operator's stack would.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { dump, load } from "js-yaml";

export const REPO = resolve(__dirname, "..");
export const LAB_DIR = process.env.QSTACK_LAB_DIR ?? join(REPO, ".lab");
export const PROJECT_DIR = join(LAB_DIR, "project");
export const STATE_DIR = join(LAB_DIR, "state");

/** The two lab clusters and the stacks deployed to them. */
export const CLUSTERS = {
    a: { stack: "clusterA", nodeIp: "127.0.10.1", nodePorts: [30000, 30999] },
    b: { stack: "clusterB", nodeIp: "127.0.20.1", nodePorts: [31000, 31999] },
} as const;
export type ClusterName = keyof typeof CLUSTERS;

export const REAL_PROJECT_DIR = join(LAB_DIR, "real-project");
export const REAL_STATE_DIR = join(LAB_DIR, "real-state");
/** Where the e2e suite installs the packed package into a copy of examples/existing-program. */
export const LIBRARY_CONSUMER_DIR = join(LAB_DIR, "library-consumer");

/** The real clusters: node IPs on the lab bridge (lab/nodes/network.sh). */
export const REAL_CLUSTERS = {
    a: { stack: "clusterA", namespace: "org-a", node: "lab-a-node", nodeIp: "10.213.0.10", nodePorts: [30000, 30999] },
    b: { stack: "clusterB", namespace: "org-b", node: "lab-b-node", nodeIp: "10.213.0.20", nodePorts: [31000, 31999] },
} as const;

export function realKubeconfigOf(cluster: ClusterName): string {
    return join(LAB_DIR, "real", cluster, "kubeconfig");
}

/** What the lab's clusters and Pulumi runs need. */
export const ALL_TOOLS = ["pulumi", "pulumi-kubernetes", "pulumi-random", "etcd", "kubernetes", "kwok"];
/** What the real-node clusters run (lab/real-clusters.sh), and what their images hold (lab/images). */
export const REAL_NODE_TOOLS = ["kubernetes-node", "containerd", "runc", "cni-plugins", "coredns", "kube-network-policies", "quorum", "tessera"];
/**
 * Everything `npm run test:e2e` uses: the clusters' tools, promtool, and the real nodes' (geth
 * also runs as host processes in the reconciler suite). `npm run lab:toolchain` builds exactly
 * these, and the lab's images, before any test runner starts, so no test hook races a cold build.
 */
export const E2E_TOOLS = [...ALL_TOOLS, "prometheus", ...REAL_NODE_TOOLS];

export function kubeconfigOf(cluster: ClusterName): string {
    return join(LAB_DIR, "clusters", cluster, "kubeconfig");
}

/** Builds (first time) or finds the toolchain; returns a PATH with it in front. */
export function toolchainPath(tools: readonly string[] = ALL_TOOLS): string {
    const dirs = execFileSync(join(REPO, "lab", "toolchain", "ensure.sh"), [...tools], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
        .split("\n")
        .filter(Boolean);
    return [...dirs, process.env.PATH ?? ""].join(":");
}

/** Environment for the Pulumi CLI and the Automation API in the lab. */
export function labEnv(path: string, stateDir = STATE_DIR): Record<string, string> {
    return {
        PATH: path,
        PULUMI_BACKEND_URL: `file://${stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: "qstack-lab",
        PULUMI_HOME: join(LAB_DIR, "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        // npm test type-checks; the engine need not do it again on every run.
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    };
}

/** Applies `labEnv` to this process (the Automation API inherits it). */
export function enterLab(path = toolchainPath(), stateDir = STATE_DIR): void {
    Object.assign(process.env, labEnv(path, stateDir));
    mkdirSync(stateDir, { recursive: true });
}

/**
 * The lab's copy of the Pulumi project: links to the sources, copies of the stack files (the
 * engine writes encryption salts into them, which must not touch the repository), each stack
 * pointed at its cluster's kubeconfig.
 */
export function prepareProject(
    projectDir = PROJECT_DIR,
    kubeconfig: (cluster: ClusterName) => string = kubeconfigOf,
    extraConfig: Record<string, unknown> = {},
): string {
    mkdirSync(projectDir, { recursive: true });
    // stack-program.js and dist/: the compiled program Pulumi.yaml names; the sources beside them, for its staleness check.
    for (const entry of ["stack-program.js", "dist", "index.ts", "library.ts", "components", "core", "node_modules", "package.json", "tsconfig.json"]) {
        const link = join(projectDir, entry);
        if (!existsSync(link)) symlinkSync(join(REPO, entry), link);
    }
    copyFileSync(join(REPO, "Pulumi.yaml"), join(projectDir, "Pulumi.yaml"));
    for (const [cluster, { stack }] of Object.entries(CLUSTERS) as [ClusterName, (typeof CLUSTERS)[ClusterName]][]) {
        const target = join(projectDir, `Pulumi.${stack}.yaml`);
        if (existsSync(target)) continue; // keep salts and e2e edits of a running lab
        const doc = load(readFileSync(join(REPO, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
        doc.config["kubernetes:kubeconfig"] = kubeconfig(cluster);
        Object.assign(doc.config, extraConfig);
        writeFileSync(target, dump(doc));
    }
    return projectDir;
}

/** Starts both clusters (idempotent). */
export function clustersUp(): void {
    execFileSync(join(REPO, "lab", "clusters.sh"), ["up"], { stdio: ["ignore", "ignore", "inherit"] });
}

/** Stops both clusters and forgets the lab's Pulumi state. */
export function labDown(): void {
    execFileSync(join(REPO, "lab", "clusters.sh"), ["down"], { stdio: "inherit" });
    for (const dir of [PROJECT_DIR, STATE_DIR, join(LAB_DIR, "clusters")]) rmSync(dir, { recursive: true, force: true });
}
