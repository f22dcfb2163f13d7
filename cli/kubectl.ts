/**
 * kubectl as qctl's way into a running cluster: the operator's own binary and credentials, with
 * the stack's namespace and the kubeconfig/context its Kubernetes provider uses.
 */
import { spawn } from "node:child_process";
import type { NetworkConfig } from "../core/config/schema";
import { requireFlag, usageError, type ParsedArgs } from "./args";
import { readStackFile, stackFilePath, validateStackFile } from "./stack-file";

/** A stack's validated config and the kubectl flags that reach its namespace. */
export interface StackTarget {
    readonly config: NetworkConfig;
    /** `--kubeconfig`, `--context` and `-n` for the stack's cluster and namespace. */
    readonly kubectlFlags: readonly string[];
}

export function stackTarget(args: ParsedArgs): StackTarget {
    const doc = readStackFile(stackFilePath(String(args.flags.get("cwd") ?? "."), requireFlag(args, "stack", "-s STACK")));
    const config = validateStackFile(doc);
    const kubeconfig = doc.getIn(["config", "kubernetes:kubeconfig"]);
    const context = doc.getIn(["config", "kubernetes:context"]);
    return {
        config,
        kubectlFlags: [
            ...(typeof kubeconfig === "string" ? ["--kubeconfig", kubeconfig] : []),
            ...(typeof context === "string" ? ["--context", context] : []),
            "-n", config.namespace,
        ],
    };
}

export interface KubectlResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs kubectl to completion, capturing its output; a missing binary is a clear error. */
export function kubectl(args: readonly string[], timeoutMs = 60_000): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
        const child = spawn("kubectl", args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.on("error", (e) => reject(usageError("kubectl", `cannot run kubectl: ${e.message}`, undefined, "kubectl on PATH")));
        child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 124 : 1), stdout, stderr }));
    });
}

/** kubectl whose failure is an error naming the command and kubectl's own words. */
export async function kubectlOrFail(args: readonly string[], timeoutMs?: number): Promise<string> {
    const r = await kubectl(args, timeoutMs);
    if (r.code !== 0) throw new Error(`kubectl ${args.filter((a) => !a.includes("\n")).join(" ")} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
}
