/**
 * Reading real state back from the lab: kubectl against a lab cluster, Pulumi stacks through
 * the Automation API. Used by the e2e suite only.
 *
 * The simulated (kwok) and the real-node lab have the same two clusters and stacks in different
 * places; a suite picks one `LabView` and asks it everything, so it never mixes the two.
 */
import { execFileSync } from "node:child_process";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { CLUSTERS, PROJECT_DIR, REAL_CLUSTERS, REAL_PROJECT_DIR, enterLab, kubeconfigOf, realKubeconfigOf, toolchainPath, type ClusterName } from "../../lab/lab-env";
import { REAL_LAB } from "../../lab/real-lab";
import { runLab, SIMULATED_LAB, type LabReport, type LabTarget } from "../../lab/run-lab";

export interface LabView {
    readonly target: LabTarget;
    readonly projectDir: string;
    readonly clusters: Record<ClusterName, { readonly stack: string; readonly nodeIp: string; readonly nodePorts: readonly [number, number] }>;
    kubeconfigOf(cluster: ClusterName): string;
    /**
     * `npm run lab` on this lab (handshake, and on the real nodes the pods and the chain report),
     * once per test process. Every call also makes this lab's Pulumi environment the process's
     * again, so a suite on the other lab before it cannot leave its state backend behind.
     */
    converged(): Promise<LabReport>;
    kubectl(cluster: ClusterName, ...args: string[]): string;
    kubectlJson<T = any>(cluster: ClusterName, ...args: string[]): T;
    stack(name: string): Promise<Stack>;
    /** Resource changes a preview reports (anything but same/read), by operation. */
    previewChanges(name: string): Promise<Record<string, number>>;
    /** A preview's changes (as {@link previewChanges}) and what it printed, warnings included. */
    preview(name: string): Promise<{ readonly changes: Record<string, number>; readonly stdout: string }>;
}

function labView(target: LabTarget, projectDir: string, clusters: LabView["clusters"], kubeconfig: (c: ClusterName) => string): LabView {
    let run: Promise<{ report: LabReport; path: string }> | undefined;
    const view: LabView = {
        target,
        projectDir,
        clusters,
        kubeconfigOf: kubeconfig,
        async converged() {
            run ??= runLab(target).then((report) => ({ report, path: process.env.PATH ?? toolchainPath() }));
            const { report, path } = await run;
            enterLab(path, target.stateDir);
            return report;
        },
        kubectl(cluster, ...args) {
            return execFileSync("kubectl", ["--kubeconfig", kubeconfig(cluster), ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        },
        kubectlJson(cluster, ...args) {
            return JSON.parse(view.kubectl(cluster, ...args, "-o", "json"));
        },
        stack(name) {
            return LocalWorkspace.selectStack({ stackName: name, workDir: projectDir });
        },
        async previewChanges(name) {
            return (await view.preview(name)).changes;
        },
        async preview(name) {
            const result = await (await view.stack(name)).preview();
            const changes = Object.fromEntries(Object.entries(result.changeSummary ?? {}).filter(([op, n]) => op !== "same" && op !== "read" && (n ?? 0) > 0)) as Record<string, number>;
            return { changes, stdout: result.stdout };
        },
    };
    return view;
}

/** The kwok clusters (`npm run lab:simulated`): many cheap nodes, no containers. */
export const simulatedLab = labView(SIMULATED_LAB, PROJECT_DIR, CLUSTERS, kubeconfigOf);

/**
 * The real-node clusters (`npm run lab`). The suites that take pods down or change the stacks
 * for good run last (mocha sorts the files: real-resilience, real-upgrade).
 */
export const realLab = labView(REAL_LAB, REAL_PROJECT_DIR, REAL_CLUSTERS, realKubeconfigOf);

/** `realLab.converged()`, the start of every real-node suite. */
export function convergedRealLab(): Promise<LabReport> {
    return realLab.converged();
}
