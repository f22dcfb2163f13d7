/**
 * What `qctl render` reads from a stack, through the Pulumi CLI and read-only: its config (secrets
 * decrypted, as the program would get them), and from its last deployment the key seeds and the
 * NodePorts the cluster allocated. Nothing here contacts a cluster.
 */
import { execFile } from "node:child_process";
import { QstackError } from "../../core/errors";
import { pulumiErrors } from "../pulumi-errors";
import { isKubernetesObjectType } from "../../core/render/manifests";
import { unwrapExportedSecrets } from "./secret-values";

const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
const SERVICE = "kubernetes:core/v1:Service";

export interface StackState {
    /** Config as the program reads it: full key (`qstack:nodes`) to its string value. */
    readonly config: Record<string, string>;
    /** Keys Pulumi holds as secrets. */
    readonly secretKeys: readonly string[];
    /** `random.RandomPassword` results of the last deployment, by resource name. */
    readonly seeds: ReadonlyMap<string, string>;
    /** NodePorts the cluster allocated at the last deployment: Service resource name -> port name -> NodePort. */
    readonly nodePorts: ReadonlyMap<string, ReadonlyMap<string, number>>;
    /** Kubernetes objects as last deployed (their inputs, secrets unwrapped), by resource name: what ignoreChanges keeps. */
    readonly deployedInputs: ReadonlyMap<string, Record<string, unknown>>;
    /** Every resource the state holds, by URN (empty for a stack never deployed). */
    readonly urns: ReadonlySet<string>;
}

/** Runs `pulumi ARGS` in `cwd`; its stdout. */
export type PulumiCli = (args: readonly string[], cwd: string) => Promise<string>;

export const pulumiCli: PulumiCli = (args, cwd) =>
    new Promise((done, fail) => {
        execFile("pulumi", [...args], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
            // pulumi up reports its errors on stdout, among the progress.
            const errors = [...new Set(pulumiErrors(stdout))].join("\n");
            if (error) fail(new Error(`pulumi ${args.slice(0, 2).join(" ")}: ${(errors || stderr || error.message).trim()}`));
            else done(stdout);
        });
    });

interface ExportedResource {
    readonly urn: string;
    readonly type: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
}

/** The stack's config and last deployment. @throws QstackError INVALID_ARGUMENT when the stack cannot be read */
export async function readStackState(stack: string, cwd: string, cli: PulumiCli = pulumiCli): Promise<StackState> {
    let configJson: string;
    let exportJson: string;
    try {
        [configJson, exportJson] = await Promise.all([
            cli(["config", "--json", "--show-secrets", "--stack", stack], cwd),
            cli(["stack", "export", "--show-secrets", "--stack", stack], cwd),
        ]);
    } catch (e) {
        throw new QstackError("INVALID_ARGUMENT", [{ key: "-s", reason: `cannot read the stack: ${(e as Error).message}`, value: stack, allowed: "a stack of this project's backend (pulumi stack ls)" }]);
    }
    const entries = JSON.parse(configJson) as Record<string, { value?: string; secret?: boolean }>;
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, entry] of Object.entries(entries)) {
        if (entry.value === undefined) continue;
        config[key] = entry.value;
        if (entry.secret) secretKeys.push(key);
    }
    const resources = ((JSON.parse(exportJson) as { deployment?: { resources?: ExportedResource[] } }).deployment?.resources ?? []) as ExportedResource[];
    const seeds = new Map<string, string>();
    const nodePorts = new Map<string, Map<string, number>>();
    const deployedInputs = new Map<string, Record<string, unknown>>();
    for (const r of resources) {
        const name = r.urn.slice(r.urn.lastIndexOf("::") + 2);
        if (isKubernetesObjectType(r.type) && r.inputs) deployedInputs.set(name, unwrapExportedSecrets(r.inputs) as Record<string, unknown>);
        if (r.type === RANDOM_PASSWORD) {
            const result = unwrapExportedSecrets(r.outputs?.result);
            if (typeof result === "string") seeds.set(name, result);
        } else if (r.type === SERVICE) {
            const ports = ((r.outputs?.spec as { ports?: { name?: string; nodePort?: number }[] } | undefined)?.ports ?? []).filter((p) => p.name && p.nodePort);
            if (ports.length > 0) nodePorts.set(name, new Map(ports.map((p) => [p.name as string, p.nodePort as number])));
        }
    }
    return { config, secretKeys, seeds, nodePorts, deployedInputs, urns: new Set(resources.map((r) => r.urn)) };
}

/** A partner stack's public outputs (`pulumi stack output --json`); undefined when it has none. */
export async function readStackOutputs(stack: string, cwd: string, cli: PulumiCli = pulumiCli): Promise<Record<string, unknown> | undefined> {
    try {
        return JSON.parse(await cli(["stack", "output", "--json", "--stack", stack], cwd)) as Record<string, unknown>;
    } catch {
        return undefined;
    }
}
