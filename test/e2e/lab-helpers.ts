/**
 * Reading real state back from the lab: kubectl against a lab cluster, Pulumi stacks through
 * the Automation API. Used by the e2e suite only.
 */
import { execFileSync } from "node:child_process";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { PROJECT_DIR, kubeconfigOf, type ClusterName } from "../../lab/lab-env";
import { REAL_LAB } from "../../lab/real-lab";
import { runLab, type LabReport } from "../../lab/run-lab";

let realLab: Promise<LabReport> | undefined;

/**
 * `npm run lab` on the real nodes (handshake, pods, chain report), once per test process: each
 * real-node suite starts from it. The suites that take pods down or change the stacks run last
 * (mocha sorts the files: real-resilience, real-upgrade).
 */
export function convergedRealLab(): Promise<LabReport> {
    realLab ??= runLab(REAL_LAB);
    return realLab;
}

export function kubectl(cluster: ClusterName, ...args: string[]): string {
    return execFileSync("kubectl", ["--kubeconfig", kubeconfigOf(cluster), ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

export function kubectlJson<T = any>(cluster: ClusterName, ...args: string[]): T {
    return JSON.parse(kubectl(cluster, ...args, "-o", "json")) as T;
}

export function stack(name: string): Promise<Stack> {
    return LocalWorkspace.selectStack({ stackName: name, workDir: PROJECT_DIR });
}

/** Resource changes a preview reports (anything but same/read), by operation. */
export async function previewChanges(name: string): Promise<Record<string, number>> {
    const result = await (await stack(name)).preview();
    return Object.fromEntries(Object.entries(result.changeSummary ?? {}).filter(([op, n]) => op !== "same" && op !== "read" && (n ?? 0) > 0)) as Record<string, number>;
}
